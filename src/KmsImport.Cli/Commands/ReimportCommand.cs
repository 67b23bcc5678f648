using System.CommandLine;
using System.Security.Cryptography;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Cli.Commands;

/// <summary>
/// <c>kms-import reimport</c>: symmetric material again into a key whose material expired or was
/// deleted, or (<c>--extend-expiry</c>) with a new expiry, proven the same by its fingerprint
/// before anything is sent.
/// </summary>
internal static class ReimportCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        Option<string> keyId = CliOptions.KeyId("The key id (symmetric, origin external).");
        Option<string?> material = CliOptions.Material("The raw symmetric material, the same as imported before.", required: true);
        Option<string?> spec = CliOptions.SymmetricSpec("the key's own");
        var expected = new Option<string?>("--expected-fingerprint") { Description = "sha256:HEX of the material as first imported; checked before anything is sent. Required with --extend-expiry.", HelpName = "sha256:HEX" };
        Option<string?> expires = CliOptions.Expires("the re-imported material");
        var extend = new Option<string?>("--extend-expiry") { Description = "For an Enabled key: delete its material and import the same material expiring WHEN.", HelpName = "WHEN" };
        Option<bool> json = CliOptions.Json();
        var connection = new ConnectionOptions();
        var command = new Command("reimport", "Re-import symmetric material into a key whose material expired or was deleted, or change its expiry with --extend-expiry; the material's fingerprint is checked first.")
        {
            keyId, material, spec, expected, expires, extend, json,
        };
        connection.AddTo(command);

        CommandRunner.SetAction(command, context, globals, async (parseResult, cancellationToken) =>
        {
            string id = parseResult.GetRequiredValue(keyId);
            string materialPath = parseResult.GetRequiredValue(material)!;
            string? extendText = parseResult.GetValue(extend);
            string? expiresText = parseResult.GetValue(expires);
            if (extendText is not null && expiresText is not null)
            {
                throw new CliUsageException("give --expires (a key pending import) or --extend-expiry (an Enabled key), not both.");
            }

            MaterialExpiry expiry = ExpiryParser.Parse(extendText ?? expiresText);
            DateTimeOffset? expiresOn = ExpiryParser.ResolveFuture(expiry, context.TimeProvider);
            if (expiresOn is { } at)
            {
                // One absolute time for this run and for the command printed if it must be finished.
                expiry = MaterialExpiry.At(at);
            }

            string? expectedFingerprint = parseResult.GetValue(expected);
            if (extendText is not null && expectedFingerprint is null)
            {
                throw new CliUsageException("--extend-expiry deletes the key's material before importing it again: give --expected-fingerprint sha256:HEX (printed or journalled when the key was first imported) so the material is proven the same first.");
            }

            byte[] bytes = InputFiles.ReadBytes(materialPath, "--material", context);
            try
            {
                string fingerprint = Convert.ToHexStringLower(SHA256.HashData(bytes));
                if (expectedFingerprint is not null && !string.Equals(Normalize(expectedFingerprint), fingerprint, StringComparison.Ordinal))
                {
                    throw new CliUsageException(
                        $"--material {materialPath} has fingerprint sha256:{fingerprint}, not the expected {expectedFingerprint.Trim()}; nothing was sent. The key accepts only the material it held before (the service would answer {KmsErrorCodes.MaterialMismatch}).");
                }

                KmsConnection options = connection.Build(parseResult, context);
                await using KmsClientLease lease = KmsClientFactory.Create(options);
                KeySpec keySpec = parseResult.GetValue(spec) is { } s ? new KeySpec(s)
                    : bytes.Length == 32 ? (await lease.Client.DescribeKeyAsync(id, cancellationToken).ConfigureAwait(false)).KeySpec ?? KeySpec.Aes256
                    : KeyMaterialFiles.GuessSymmetricSpec(bytes.Length);
                using KeyMaterial keyMaterial = KeyMaterial.FromSymmetricKey(bytes, keySpec);
                KeyImportResult result;
                try
                {
                    result = await lease.Client.ReimportAsync(
                        id,
                        keyMaterial,
                        new ReimportOptions { ExpectedFingerprint = expectedFingerprint, Expiry = expiry, ExtendExpiry = extendText is not null },
                        cancellationToken).ConfigureAwait(false);
                }
                catch (ReimportIncompleteException ex)
                {
                    throw new UnfinishedWorkException(ex, FinishCommand(parseResult, connection, id, materialPath, keySpec, fingerprint, expiresOn));
                }

                ResultPrinter.Print(context.Output, result, parseResult.GetValue(json));
                return ExitCodes.Success;
            }
            finally
            {
                CryptographicOperations.ZeroMemory(bytes);
            }
        },
        // The SDK says itself what a cancellation left behind once something was sent that changes the key.
        ifCancelled: parseResult => $"key {parseResult.GetRequiredValue(keyId)} was not changed");
        return command;
    }

    // The command that imports the same material into the key left pending import (no secrets: credentials stay in the environment).
    internal static string FinishCommand(ParseResult parseResult, ConnectionOptions connection, string keyId, string materialPath, KeySpec keySpec, string fingerprint, DateTimeOffset? expiresOn)
    {
        var parts = new List<string> { "kms-import", "reimport", "--key-id", keyId, "--material", Quote(Path.GetFullPath(materialPath)), "--spec", keySpec.ToString(), "--expected-fingerprint", "sha256:" + fingerprint, "--expires", OutputFormat.Expiry(expiresOn) };
        if (parseResult.GetValue(connection.Endpoint) is { } endpoint)
        {
            parts.AddRange(["--endpoint", endpoint]);
        }

        if (parseResult.GetValue(connection.Region) is { } region)
        {
            parts.AddRange(["--region", region, "--cloud", parseResult.GetValue(connection.Cloud) ?? CloudNames.Huawei]);
        }

        if (parseResult.GetValue(connection.ProjectId) is { } projectId)
        {
            parts.AddRange(["--project-id", projectId]);
        }

        if (parseResult.GetValue(connection.AuthTokenFile) is { } tokenFile)
        {
            parts.AddRange(["--auth-token-file", Quote(tokenFile)]);
        }

        return string.Join(' ', parts);
    }

    private static string Quote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '-' or '_' or ':') ? value : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string Normalize(string text)
    {
        string hex = text.Trim();
        if (hex.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase))
        {
            hex = hex["sha256:".Length..];
        }

        if (hex.Length != 64 || !hex.All(char.IsAsciiHexDigit))
        {
            throw new CliUsageException($"--expected-fingerprint {text}: use sha256: followed by 64 hex characters, as printed when the material was imported.");
        }

        return hex.ToLowerInvariant();
    }
}
