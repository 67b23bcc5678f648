using System.CommandLine;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Cli.Commands;

/// <summary>
/// <c>kms-import wrap</c>: the guide's openssl steps, offline. Writes the same raw binary files:
/// <c>EncryptedKeyMaterial.bin</c> (RSA-OAEP, or SM2 for SM2_ENCRYPT, of the material or of a fresh temporary key) and,
/// for a private key, <c>out_rsa_private_key.der</c> (RFC 5649 wrap of its PKCS#8 DER; <c>out_sm2_private_key.der</c>,
/// RFC 5649 over SM4, under SM2_ENCRYPT).
/// </summary>
internal static class WrapCommand
{
    public const string EncryptedKeyMaterialFile = "EncryptedKeyMaterial.bin";
    public const string EncryptedPrivateKeyFile = "out_rsa_private_key.der";
    public const string Sm2EncryptedPrivateKeyFile = "out_sm2_private_key.der";

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var wrappingKey = new Option<string>("--wrapping-key") { Description = "The wrapping public key: PublicKey.bin, wrappingKey_{keyId} (DER), PublicKey.b64 or PEM.", Required = true, HelpName = "FILE" };
        var material = new MaterialOptions();
        Option<string?> output = CliOptions.Out("The wrapped material (or wrapped temporary key).", EncryptedKeyMaterialFile);
        var outPrivateKey = new Option<string>("--out-private-key") { Description = $"The wrapped private key (with --private-key); {Sm2EncryptedPrivateKeyFile} by default under SM2_ENCRYPT.", DefaultValueFactory = _ => EncryptedPrivateKeyFile, HelpName = "FILE" };
        Option<string> algorithm = CliOptions.Algorithm("The wrapping algorithm the key was issued for", wrapsMaterial: true);
        Option<bool> allowLegacy = CliOptions.AllowLegacy();

        var command = new Command("wrap", $"Wrap key material offline, as the console guide's openssl commands do: writes {EncryptedKeyMaterialFile} and, for a private key, {EncryptedPrivateKeyFile}.")
        {
            wrappingKey, output, outPrivateKey, algorithm, allowLegacy,
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

            using KeyMaterial keyMaterial = material.Load(parseResult, context, keySpecFromService: null);
            WrappingAlgorithm wrappingAlgorithm = ResolveAlgorithm(parseResult, algorithm, keyMaterial.KeySpec);
            bool legacyAllowed = parseResult.GetValue(allowLegacy);
            CheckLegacy(wrappingAlgorithm, legacyAllowed, context);
            WrappedKeyMaterial wrapped = new KeyMaterialWrapper(legacyAllowed).Wrap(keyMaterial, key, wrappingAlgorithm);

            using var files = new AtomicFileSet();
            files.Stage(parseResult.GetRequiredValue(output)!, wrapped.EncryptedKeyMaterial.Span);
            if (keyMaterial.IsPrivateKey)
            {
                bool defaultName = parseResult.GetResult(outPrivateKey) is null or { Implicit: true };
                string privateKeyPath = defaultName && wrappingAlgorithm.IsSm2 ? Sm2EncryptedPrivateKeyFile : parseResult.GetRequiredValue(outPrivateKey);
                files.Stage(privateKeyPath, wrapped.EncryptedPrivateKey!.Value.Span);
            }

            files.Commit();
            foreach (string path in files.Paths)
            {
                context.Output.WriteLine($"wrote {path}");
            }

            context.Output.WriteLine($"{keyMaterial.KeySpec} material, SHA-256 fingerprint {keyMaterial.ComputeFingerprint()}");
            return Task.FromResult(ExitCodes.Success);
        },
        ifCancelled: _ => "no file was written");
        return command;
    }

    /// <summary>The given --algorithm, or when none was given, SM2_ENCRYPT for SM4 and SM2 material and RSAES_OAEP_SHA_256 otherwise.</summary>
    internal static WrappingAlgorithm ResolveAlgorithm(ParseResult parseResult, Option<string> algorithm, KeySpec keySpec)
    {
        bool given = parseResult.GetResult(algorithm) is { Implicit: false };
        return given ? new WrappingAlgorithm(parseResult.GetRequiredValue(algorithm))
            : keySpec.IsSm ? WrappingAlgorithm.Sm2Encrypt
            : WrappingAlgorithm.RsaesOaepSha256;
    }

    /// <summary>Legacy algorithms only with --allow-legacy, and a warning each time.</summary>
    internal static void CheckLegacy(WrappingAlgorithm algorithm, bool allowed, CliContext context)
    {
        if (!algorithm.IsLegacy)
        {
            return;
        }

        if (!allowed)
        {
            throw new CliUsageException($"--algorithm {algorithm} is a legacy wrapping algorithm; add --allow-legacy to use it anyway, or use RSAES_OAEP_SHA_256.");
        }

        context.Error.WriteLine($"warning: using the legacy wrapping algorithm {algorithm} (--allow-legacy); prefer RSAES_OAEP_SHA_256.");
    }
}
