using System.CommandLine;
using System.Formats.Asn1;
using KmsImport.Sdk;

namespace KmsImport.Cli.Commands;

/// <summary><c>kms-import import</c>: imports files that are already wrapped, by <c>kms-import wrap</c> or by the guide's openssl commands.</summary>
internal static class ImportCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        Option<string> keyId = CliOptions.KeyId();
        var tokenFile = new Option<string>("--token-file") { Description = "The import token (ImportToken.b64), or - for standard input.", Required = true, HelpName = "FILE" };
        var materialFile = new Option<string>("--material-file") { Description = "The wrapped material (EncryptedKeyMaterial.bin), raw binary or Base64.", Required = true, HelpName = "FILE" };
        var privateKeyFile = new Option<string?>("--private-key-file") { Description = "For asymmetric keys: the wrapped private key (out_rsa_private_key.der, or out_sm2_private_key.der under SM2_ENCRYPT), raw binary or Base64.", HelpName = "FILE" };
        Option<string?> expires = CliOptions.Expires();
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
            string token = InputFiles.ReadBase64Text(parseResult.GetRequiredValue(tokenFile), "--token-file", "the import_token from get-parameters (ImportToken.b64)", context);

            string material = ReadCiphertextAsBase64(
                parseResult.GetRequiredValue(materialFile),
                "--material-file",
                context,
                static n => n is 256 or 384 or 512 || n is >= MinSm2CiphertextLength and <= MaxSm2CiphertextLength,
                "RSA-OAEP ciphertext as long as the wrapping key (256, 384 or 512 bytes), or an SM2_ENCRYPT ciphertext (the GM/T 0009 DER SEQUENCE openssl pkeyutl writes)",
                static bytes => bytes.Length is 256 or 384 or 512 || IsSm2Ciphertext(bytes));
            string? privateKey = privateKeyPath is null ? null : ReadCiphertextAsBase64(
                privateKeyPath, "--private-key-file", context, static n => n >= 24 && n % 8 == 0, "an AES key wrap (RFC 5649) ciphertext: a multiple of 8 bytes, at least 24");
            DateTimeOffset? expiresOn = ExpiryParser.ResolveFuture(expiry, context.TimeProvider);

            KmsConnection options = connection.Build(parseResult, context);
            await using KmsClientLease lease = KmsClientFactory.Create(options);
            await lease.Client.ImportWrappedKeyMaterialAsync(
                new ImportKeyMaterialRequest(id, token, material) { EncryptedPrivateKey = privateKey, MaterialExpiresOn = expiresOn },
                cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"imported into {id}; material expires {OutputFormat.Expiry(expiresOn)}");
            return ExitCodes.Success;
        },
        // The import request is the only thing awaited: a cancellation comes while it is under way.
        ifCancelled: parseResult => $"the import into key {parseResult.GetRequiredValue(keyId)} was cancelled while its request was under way; it may have been sent, so its outcome is unknown. Check the key before importing again (kms-import describe --key-id {parseResult.GetRequiredValue(keyId)}: Enabled means the material was imported).");
        return command;
    }

    /// <summary>
    /// The API takes Base64; the guide's files are raw binary. Base64 text (one line or wrapped, as
    /// <c>openssl base64</c> writes it) is accepted too; see <see cref="InputFiles.ReadBinaryOrBase64"/>.
    /// </summary>
    internal static string ReadCiphertextAsBase64(string path, string optionName, CliContext context, Func<int, bool> isExpectedLength, string expected, Func<byte[], bool>? isExpectedContent = null)
    {
        byte[]? bytes = InputFiles.ReadBinaryOrBase64(path, optionName, context, isExpectedLength, lengthFirst: false, out string problem, out byte[] unrecognized);
        if (bytes is null)
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(unrecognized);
            throw new CliUsageException($"{optionName} {path}: expected {expected}, raw binary or Base64 text; {problem}.");
        }

        if (isExpectedContent is not null && !isExpectedContent(bytes))
        {
            int length = bytes.Length;
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
            throw new CliUsageException($"{optionName} {path}: expected {expected}, raw binary or Base64 text; its {length} bytes are neither.");
        }

        try
        {
            return Convert.ToBase64String(bytes);
        }
        finally
        {
            System.Security.Cryptography.CryptographicOperations.ZeroMemory(bytes);
        }
    }

    // SM2_ENCRYPT of 16 to 64 bytes: SEQUENCE { INTEGER x, INTEGER y, OCTET STRING (32, the SM3 hash), OCTET STRING }.
    private const int MinSm2CiphertextLength = 2 + 3 + 3 + 34 + 2 + 1;
    private const int MaxSm2CiphertextLength = 3 + (2 * 35) + 34 + 2 + 1024;

    /// <summary>Whether the bytes are the GM/T 0009 DER of an SM2 ciphertext, as <c>openssl pkeyutl -encrypt</c> writes it.</summary>
    internal static bool IsSm2Ciphertext(ReadOnlySpan<byte> der)
    {
        try
        {
            AsnDecoder.ReadSequence(der, AsnEncodingRules.DER, out int offset, out int length, out int consumed);
            if (consumed != der.Length)
            {
                return false;
            }

            ReadOnlySpan<byte> content = der.Slice(offset, length);
            AsnDecoder.ReadIntegerBytes(content, AsnEncodingRules.DER, out consumed);
            content = content[consumed..];
            AsnDecoder.ReadIntegerBytes(content, AsnEncodingRules.DER, out consumed);
            content = content[consumed..];
            if (!AsnDecoder.TryReadPrimitiveOctetString(content, AsnEncodingRules.DER, out ReadOnlySpan<byte> hash, out consumed) || hash.Length != 32)
            {
                return false;
            }

            content = content[consumed..];
            return AsnDecoder.TryReadPrimitiveOctetString(content, AsnEncodingRules.DER, out ReadOnlySpan<byte> ciphertext, out consumed)
                && !ciphertext.IsEmpty
                && consumed == content.Length;
        }
        catch (AsnContentException)
        {
            return false;
        }
    }
}
