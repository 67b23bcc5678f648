using System.Text.RegularExpressions;

namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>
/// The service's rules as the emulator states them: patterns, lengths, lifetimes and the wrapping
/// algorithms it issues. Stated here on purpose rather than taken from the SDK, so that the
/// emulator is an independent check; <c>EmulatorContractAgreementTests</c> compares the two where
/// they must agree.
/// </summary>
internal static partial class EmulatorRules
{
    /// <summary>The longest key_description create-key accepts.</summary>
    public const int MaxDescriptionLength = 255;

    /// <summary>The length of a sequence (a request's optional 36-character idempotency id).</summary>
    public const int SequenceLength = 36;

    /// <summary>How long import parameters stay valid unless <see cref="LocalKmsOptions.ImportParametersLifetime"/> says otherwise.</summary>
    public static readonly TimeSpan DefaultImportParametersLifetime = TimeSpan.FromHours(24);

    /// <summary>How long issued parameters are kept after they expire, so that an import racing with the expiry never sees a disposed key.</summary>
    public static readonly TimeSpan ExpiredParametersGrace = TimeSpan.FromHours(1);

    /// <summary>The wrapping algorithm when the request names none.</summary>
    public static readonly WrappingAlgorithm DefaultWrappingAlgorithm = WrappingAlgorithm.RsaesOaepSha256;

    /// <summary>The wrapping algorithms get-parameters-for-import issues (a <see cref="KmsCapabilities"/> profile may narrow them).</summary>
    public static readonly IReadOnlyList<WrappingAlgorithm> IssuedWrappingAlgorithms =
    [
        WrappingAlgorithm.RsaesOaepSha256,
        WrappingAlgorithm.RsaesOaepSha1,
        WrappingAlgorithm.RsaesPkcs1V15,
        WrappingAlgorithm.Sm2Encrypt,
    ];

    /// <summary>The lengths the temporary key of an asymmetric import may have.</summary>
    public static bool IsTemporaryKeyLength(int length) => length is 16 or 32;

    /// <summary>Whether get-parameters-for-import issues <paramref name="algorithm"/>.</summary>
    public static bool Issues(WrappingAlgorithm algorithm) => IssuedWrappingAlgorithms.Contains(algorithm);

    /// <summary>key_alias: 1 to 255 of letters, digits, <c>:</c>, <c>/</c>, <c>_</c> and <c>-</c>.</summary>
    [GeneratedRegex(@"\A[a-zA-Z0-9:/_-]{1,255}\z", RegexOptions.CultureInvariant)]
    public static partial Regex AliasPattern();

    /// <summary>key_id: 36 characters, lower-case letters, digits and dashes (8-4-4-4-12).</summary>
    [GeneratedRegex(@"\A[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}\z", RegexOptions.CultureInvariant)]
    public static partial Regex KeyIdPattern();
}
