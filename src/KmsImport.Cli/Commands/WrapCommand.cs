using System.CommandLine;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Cli.Commands;

/// <summary>
/// <c>kms-import wrap</c>: the guide's openssl steps, offline. Writes the same raw binary files:
/// <c>EncryptedKeyMaterial.bin</c> (RSA-OAEP of the material or of a fresh temporary key) and,
/// for a private key, <c>out_rsa_private_key.der</c> (RFC 5649 wrap of its PKCS#8 DER).
/// </summary>
internal static class WrapCommand
{
    public const string EncryptedKeyMaterialFile = "EncryptedKeyMaterial.bin";
    public const string EncryptedPrivateKeyFile = "out_rsa_private_key.der";

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var wrappingKey = new Option<string>("--wrapping-key") { Description = "The wrapping public key: PublicKey.bin, wrappingKey_{keyId} (DER), PublicKey.b64 or PEM.", Required = true, HelpName = "FILE" };
        var material = new MaterialOptions();
        var output = new Option<string>("--out") { Description = "The wrapped material (or wrapped temporary key).", DefaultValueFactory = _ => EncryptedKeyMaterialFile, HelpName = "FILE" };
        var outPrivateKey = new Option<string>("--out-private-key") { Description = "The wrapped private key (with --private-key).", DefaultValueFactory = _ => EncryptedPrivateKeyFile, HelpName = "FILE" };
        var algorithm = new Option<string>("--algorithm") { Description = "The wrapping algorithm the key was issued for.", DefaultValueFactory = _ => "RSAES_OAEP_SHA_256", HelpName = "ALGORITHM" };

        var command = new Command("wrap", $"Wrap key material offline, as the console guide's openssl commands do: writes {EncryptedKeyMaterialFile} and, for a private key, {EncryptedPrivateKeyFile}.")
        {
            wrappingKey, output, outPrivateKey, algorithm,
        };
        material.AddTo(command);

        CommandRunner.SetAction(command, context, globals, (parseResult, _) =>
        {
            string wrappingKeyPath = parseResult.GetRequiredValue(wrappingKey);
            byte[] wrappingKeyBytes = InputFiles.ReadBytes(wrappingKeyPath, "--wrapping-key", context);
            WrappingPublicKey key;
            try
            {
                key = WrappingPublicKey.Load(wrappingKeyBytes);
            }
            catch (KeyImportValidationException ex)
            {
                throw new CliUsageException($"--wrapping-key {wrappingKeyPath}: {ex.Message}", ex);
            }

            var wrappingAlgorithm = new WrappingAlgorithm(parseResult.GetRequiredValue(algorithm));
            using KeyMaterial keyMaterial = material.Load(parseResult, context, keySpecFromService: null);
            WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(keyMaterial, key, wrappingAlgorithm);

            using var files = new AtomicFileSet();
            files.Stage(parseResult.GetRequiredValue(output), wrapped.EncryptedKeyMaterial.Span);
            if (keyMaterial.IsPrivateKey)
            {
                files.Stage(parseResult.GetRequiredValue(outPrivateKey), wrapped.EncryptedPrivateKey!.Value.Span);
            }

            files.Commit();
            foreach (string path in files.Paths)
            {
                context.Output.WriteLine($"wrote {path}");
            }

            context.Output.WriteLine($"{keyMaterial.KeySpec} material, SHA-256 fingerprint {keyMaterial.ComputeFingerprint()}");
            return Task.FromResult(ExitCodes.Success);
        });
        return command;
    }
}
