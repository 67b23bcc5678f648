using System.CommandLine;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Cli;

/// <summary>The plaintext key material of wrap and import-key: <c>--material FILE</c> or <c>--private-key FILE [--password-file FILE]</c>.</summary>
internal sealed class MaterialOptions
{
    public Option<string?> Material { get; } = CliOptions.Material("Raw symmetric material (the guide's PlaintextKeyMaterial.bin: 32 bytes for AES_256, 16 for SM4), or - for standard input.");

    public Option<string?> PrivateKey { get; } = new("--private-key")
    {
        Description = "An RSA, EC or SM2 private key: PEM or DER; PKCS#8, PKCS#1 or SEC1; or - for standard input.",
        HelpName = "FILE",
    };

    public Option<string?> PasswordFile { get; } = new("--password-file")
    {
        Description = "The password of an encrypted private key (first line of the file), or - for standard input.",
        HelpName = "FILE",
    };

    public Option<string?> Spec { get; } = CliOptions.SymmetricSpec("the key's spec, or guessed from the length for wrap");

    public void AddTo(Command command)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.Add(Material);
        command.Add(PrivateKey);
        command.Add(PasswordFile);
        command.Add(Spec);
        command.Validators.Add(result =>
        {
            bool hasMaterial = result.GetResult(Material) is not null;
            bool hasPrivateKey = result.GetResult(PrivateKey) is not null;
            if (hasMaterial == hasPrivateKey)
            {
                result.AddError("give exactly one of --material FILE (symmetric) or --private-key FILE (asymmetric).");
            }
            else if (hasMaterial && result.GetResult(PasswordFile) is not null)
            {
                result.AddError("--password-file goes with --private-key, not with --material.");
            }
        });
    }

    /// <summary>Whether the material is a private key (so the service's key spec is not needed to read it).</summary>
    public bool IsPrivateKey(ParseResult parseResult) => parseResult.GetValue(PrivateKey) is not null;

    /// <summary>The explicitly given spec, if any.</summary>
    public KeySpec? GetSpec(ParseResult parseResult) => parseResult.GetValue(Spec) is { } s ? new KeySpec(s) : (KeySpec?)null;

    /// <summary>Loads the material; symmetric material takes --spec, else <paramref name="keySpecFromService"/>, else a guess from its length.</summary>
    public KeyMaterial Load(ParseResult parseResult, CliContext context, KeySpec? keySpecFromService)
    {
        ArgumentNullException.ThrowIfNull(parseResult);
        if (parseResult.GetValue(PrivateKey) is { } privateKey)
        {
            return KeyMaterialFiles.LoadPrivateKey(privateKey, parseResult.GetValue(PasswordFile), context);
        }

        return KeyMaterialFiles.LoadSymmetric(parseResult.GetValue(Material)!, GetSpec(parseResult) ?? keySpecFromService, context);
    }
}
