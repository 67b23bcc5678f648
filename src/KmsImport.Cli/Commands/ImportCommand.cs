using System.Buffers.Text;
using System.CommandLine;
using KmsImport.Sdk;
using KmsImport.Sdk.Transport;

namespace KmsImport.Cli.Commands;

/// <summary><c>kms-import import</c>: imports files that are already wrapped, by <c>kms-import wrap</c> or by the guide's openssl commands.</summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var keyId = new Option<string>("--key-id") { Description = "The key id.", Required = true, HelpName = "ID" };
        var tokenFile = new Option<string>("--token-file") { Description = "The import token (ImportToken.b64), or - for standard input.", Required = true, HelpName = "FILE" };
        var materialFile = new Option<string>("--material-file") { Description = "The wrapped material (EncryptedKeyMaterial.bin), raw binary or Base64.", Required = true, HelpName = "FILE" };
        var privateKeyFile = new Option<string?>("--private-key-file") { Description = "For asymmetric keys: the wrapped private key (out_rsa_private_key.der), raw binary or Base64.", HelpName = "FILE" };
        var expires = new Option<string?>("--expires") { Description = $"When symmetric material expires: {ExpiryParser.Help}.", HelpName = "WHEN" };
        var connection = new ConnectionOptions();

        var command = new Command("import", "Import material that is already wrapped (the console guide's EncryptedKeyMaterial.bin, and out_rsa_private_key.der for private keys).")
        {
            keyId, tokenFile, materialFile, privateKeyFile, expires,
        };
        connection.AddTo(command);

        CommandRunner.SetAction(command, context, globals, async (parseResult, cancellationToken) =>
        {
            string id = parseResult.GetRequiredValue(keyId);
            string? privateKeyPath = parseResult.GetValue(privateKeyFile);
            MaterialExpiry expiry = ExpiryParser.Parse(parseResult.GetValue(expires));
            if (privateKeyPath is not null && !expiry.IsNever)
            {
                throw new CliUsageException("--expires applies to symmetric material only; imported private keys never expire.");
            }

            InputFiles.EnsureSingleStandardInput(parseResult.GetRequiredValue(tokenFile), parseResult.GetRequiredValue(materialFile), privateKeyPath);
            string token = InputFiles.ReadSingleLineText(parseResult.GetRequiredValue(tokenFile), "--token-file", context);
            if (!Base64.IsValid(token))
            {
                throw new CliUsageException($"--token-file {parseResult.GetRequiredValue(tokenFile)}: not Base64; give the import_token from get-parameters (ImportToken.b64).");
            }

            string material = ReadCiphertextAsBase64(parseResult.GetRequiredValue(materialFile), "--material-file", context);
            string? privateKey = privateKeyPath is null ? null : ReadCiphertextAsBase64(privateKeyPath, "--private-key-file", context);
            DateTimeOffset? expiresOn = ExpiryParser.ResolveFuture(expiry, context.TimeProvider);

            KmsConnection options = connection.Build(parseResult, context);
            await using KmsClientLease lease = KmsClientFactory.Create(options);
            await lease.Client.ImportWrappedKeyMaterialAsync(
                new ImportKeyMaterialRequest(id, token, material) { EncryptedPrivateKey = privateKey, MaterialExpiresOn = expiresOn },
                cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"imported into {id}; material expires {OutputFormat.Expiry(expiresOn)}");
            return ExitCodes.Success;
        });
        return command;
    }

    /// <summary>The API takes Base64; the guide's files are raw binary. Base64 text files are accepted as they are.</summary>
    internal static string ReadCiphertextAsBase64(string path, string optionName, CliContext context)
    {
        byte[] bytes = InputFiles.ReadBytes(path, optionName, context);
        if (bytes.Length == 0)
        {
            throw new CliUsageException($"{optionName} {path}: the file is empty.");
        }

        ReadOnlySpan<byte> trimmed = bytes.AsSpan().Trim(" \t\r\n"u8);
        if (trimmed.Length >= 4 && Base64.IsValid(trimmed) && !trimmed.ContainsAny(" \t\r\n"u8))
        {
            // Random ciphertext is practically never all Base64 characters: this file is Base64 text.
            return System.Text.Encoding.ASCII.GetString(trimmed);
        }

        return Convert.ToBase64String(bytes);
    }
}
