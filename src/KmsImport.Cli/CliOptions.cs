using System.CommandLine;
using KmsImport.Sdk;
using KmsImport.Sdk.Contract;

namespace KmsImport.Cli;

/// <summary>
/// The options several commands share, each made here only: name, help name, description and
/// validation, with the values the SDK states (the key id pattern, key specs, wrapping algorithms).
/// Each call makes a new option, as System.CommandLine wants one instance per command.
/// </summary>
internal static class CliOptions
{
    // Every key spec the SDK names; which of them the help lists is decided by the SDK's traits.
    private static readonly KeySpec[] s_keySpecs =
    [
        KeySpec.Aes256, KeySpec.Hmac256, KeySpec.Hmac384, KeySpec.Hmac512,
        KeySpec.Rsa2048, KeySpec.Rsa3072, KeySpec.Rsa4096, KeySpec.EcP256, KeySpec.EcP384,
        KeySpec.Sm4, KeySpec.Sm2, KeySpec.Secp256k1, KeySpec.Ed25519, KeySpec.HmacSm3,
    ];

    /// <summary>The specs a key to import into can have (<see cref="KeySpec.IsImportable"/>).</summary>
    public static string ImportableSpecs { get; } = string.Join(", ", s_keySpecs.Where(s => s.IsImportable));

    /// <summary>The specs of raw symmetric material.</summary>
    public static string SymmetricSpecs { get; } = string.Join(", ", s_keySpecs.Where(s => s.IsImportable && s.IsSymmetric));

    /// <summary><c>--key-id</c>, required, checked against the service's key id pattern before anything is read or sent.</summary>
    public static Option<string> KeyId(string description = "The key id.")
    {
        var option = new Option<string>("--key-id") { Description = description, Required = true, HelpName = "ID" };
        option.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: var value }] && !KmsContract.KeyIdPattern().IsMatch(value))
            {
                result.AddError(
                    $"--key-id {value}: not a KMS key id; expected 36 characters, lower-case letters and digits in groups of 8-4-4-4-12 separated by dashes (for example {KmsContract.KeyIdExample}). Copy the key id, not the alias, from the console or from create-key.");
            }
        });
        return option;
    }

    /// <summary><c>--json</c>: the result as JSON with the API's snake_case names.</summary>
    public static Option<bool> Json(string insteadOf = "text") => new("--json") { Description = $"Print JSON instead of {insteadOf}." };

    /// <summary><c>--spec</c> of a key to create: an importable spec, AES_256 by default.</summary>
    public static Option<string> KeySpecToCreate()
    {
        var option = new Option<string>("--spec")
        {
            Description = $"The key spec: {ImportableSpecs} (SM4 and SM2 in Huawei's Chinese regions).",
            DefaultValueFactory = _ => KeySpec.Aes256.ToString(),
            HelpName = "SPEC",
        };
        option.Validators.Add(result =>
        {
            if (result.Tokens is [{ Value: var value }] && !new KeySpec(value).IsImportable)
            {
                result.AddError($"--spec {value}: material cannot be imported into this key spec; use {ImportableSpecs}.");
            }
        });
        return option;
    }

    /// <summary><c>--spec</c> of raw symmetric material (32 bytes fit AES_256 and HMAC_256, so the bytes alone may not tell).</summary>
    /// <param name="byDefault">Where the spec comes from when the option is not given.</param>
    public static Option<string?> SymmetricSpec(string byDefault) => new("--spec")
    {
        Description = $"The key spec of symmetric material ({SymmetricSpecs}). Default: {byDefault}.",
        HelpName = "SPEC",
    };

    /// <summary><c>--algorithm</c>, RSAES_OAEP_SHA_256 by default.</summary>
    /// <param name="what">What the algorithm is, for the help text.</param>
    /// <param name="wrapsMaterial">
    /// Whether the command wraps material with it: then SM4 and SM2 material default to SM2_ENCRYPT (see
    /// <see cref="Commands.WrapCommand.ResolveAlgorithm"/>) and the legacy algorithms need <c>--allow-legacy</c>;
    /// otherwise the algorithm is only asked for (get-parameters).
    /// </param>
    public static Option<string> Algorithm(string what, bool wrapsMaterial)
    {
        string values = wrapsMaterial
            ? $"{WrappingAlgorithm.RsaesOaepSha256}, or {WrappingAlgorithm.Sm2Encrypt} (the default for SM4 and SM2 material); {WrappingAlgorithm.RsaesOaepSha1} and {WrappingAlgorithm.RsaesPkcs1V15} with --allow-legacy"
            : $"{WrappingAlgorithm.RsaesOaepSha256}, {WrappingAlgorithm.Sm2Encrypt} (an SM2 wrapping key, Huawei's Chinese regions), or the legacy {WrappingAlgorithm.RsaesOaepSha1} and {WrappingAlgorithm.RsaesPkcs1V15}";
        return new Option<string>("--algorithm")
        {
            Description = $"{what}: {values}.",
            DefaultValueFactory = _ => WrappingAlgorithm.RsaesOaepSha256.ToString(),
            HelpName = "ALGORITHM",
        };
    }

    /// <summary><c>--allow-legacy</c>: the legacy wrapping algorithms, on explicit opt-in only.</summary>
    public static Option<bool> AllowLegacy() => new("--allow-legacy")
    {
        Description = $"Allow the legacy wrapping algorithms {WrappingAlgorithm.RsaesOaepSha1} and {WrappingAlgorithm.RsaesPkcs1V15}, with a warning each time ({WrappingAlgorithm.RsaesPkcs1V15} never wraps a private key).",
    };

    /// <summary><c>--expires</c>, read by <see cref="ExpiryParser"/>.</summary>
    /// <param name="what">What expires, for the help text.</param>
    public static Option<string?> Expires(string what = "symmetric material") => new("--expires")
    {
        Description = $"When {what} expires: {ExpiryParser.Help}.",
        HelpName = "WHEN",
    };

    /// <summary><c>--material</c>: a file of raw symmetric material, or - for standard input.</summary>
    public static Option<string?> Material(string description, bool required = false) => new("--material")
    {
        Description = description,
        Required = required,
        HelpName = "FILE",
    };

    /// <summary><c>--out</c>: the file a command writes.</summary>
    public static Option<string?> Out(string description, string? defaultPath = null)
    {
        var option = new Option<string?>("--out") { Description = description, HelpName = "FILE" };
        if (defaultPath is not null)
        {
            option.DefaultValueFactory = _ => defaultPath;
        }

        return option;
    }

    /// <summary><c>--region</c>.</summary>
    public static Option<string?> Region(string description) => new("--region") { Description = description, HelpName = "REGION" };

    /// <summary><c>--cloud</c>: huawei (the default) or otc.</summary>
    public static Option<string> Cloud(string description)
    {
        var option = new Option<string>("--cloud")
        {
            Description = description,
            DefaultValueFactory = _ => CloudNames.Huawei,
            HelpName = $"{CloudNames.Huawei}|{CloudNames.OpenTelekomCloud}",
        };
        option.AcceptOnlyFromAmong(CloudNames.Huawei, CloudNames.OpenTelekomCloud);
        return option;
    }
}
