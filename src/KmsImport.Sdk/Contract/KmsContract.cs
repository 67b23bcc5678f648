using System.Text.RegularExpressions;

namespace KmsImport.Sdk.Contract;

/// <summary>
/// The service's contract as the SDK and the CLI read it (kms-api.md): identifier formats, lengths,
/// lifetimes, the environment variables and the codes that refuse a token. One statement of each rule;
/// the CLI compiles this same file (it is linked into KmsImport.Cli), so the two cannot drift.
/// </summary>
/// <remarks>
/// Only public SDK types may be used here, since the CLI compiles this file without the SDK's internals.
/// The emulator (KmsImport.Sdk.Testing) keeps its own statement of the rules on purpose, as an independent check.
/// </remarks>
internal static partial class KmsContract
{
    /// <summary>A key id: 36 characters, lower-case letters and digits in groups of 8-4-4-4-12. <c>\z</c>, not <c>$</c>: <c>$</c> would accept a trailing newline.</summary>
    public const string KeyIdPatternText = "^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}\\z";

    /// <summary>An example key id for messages.</summary>
    public const string KeyIdExample = "0d0466b0-e727-4d9c-b35d-f84bb474a37f";

    /// <summary>The longest key alias the service accepts.</summary>
    public const int KeyAliasMaxLength = 255;

    /// <summary>A key alias: 1 to <see cref="KeyAliasMaxLength"/> letters, digits, ':', '/', '_' and '-'.</summary>
    public const string KeyAliasPatternText = "^[a-zA-Z0-9:/_-]{1,255}\\z";

    /// <summary>The longest key description the service accepts.</summary>
    public const int KeyDescriptionMaxLength = 255;

    /// <summary>The length of a request sequence number.</summary>
    public const int SequenceLength = 36;

    /// <summary>The variable holding the access key id.</summary>
    public const string AccessKeyVariable = "HUAWEICLOUD_SDK_AK";

    /// <summary>The variable holding the secret access key.</summary>
    public const string SecretKeyVariable = "HUAWEICLOUD_SDK_SK";

    /// <summary>The variable holding the security token of temporary AK/SK.</summary>
    public const string SecurityTokenVariable = "HUAWEICLOUD_SDK_SECURITY_TOKEN";

    /// <summary>The variable holding the project id.</summary>
    public const string ProjectIdVariable = "HUAWEICLOUD_SDK_PROJECT_ID";

    /// <summary>The variable holding the region.</summary>
    public const string RegionVariable = "HUAWEICLOUD_SDK_REGION";

    /// <summary>How many keys a batch works on at once unless told otherwise (SDK and CLI alike).</summary>
    public const int DefaultBatchConcurrency = 8;

    /// <summary>The IAM token was not accepted (403); with <see cref="KmsErrorCodes.AuthTokenInvalid"/> and <see cref="KmsErrorCodes.AuthTokenExpired"/>, the codes that refuse a token.</summary>
    public const string AuthTokenRefused = "KMS.0302";

    /// <summary>How long import parameters (wrapping key and token) are valid after get-parameters-for-import.</summary>
    public static readonly TimeSpan ImportParametersLifetime = TimeSpan.FromHours(24);

    /// <summary>True when <paramref name="margin"/> may serve as the import-parameters safety margin: at least zero and shorter than <see cref="ImportParametersLifetime"/>.</summary>
    public static bool IsValidParametersSafetyMargin(TimeSpan margin) =>
        margin >= TimeSpan.Zero && margin < ImportParametersLifetime;

    /// <summary>True when a response says the IAM token was refused (401, or 403 with KMS.0301-0303), so a fresh token may help.</summary>
    public static bool IsAuthTokenRefused(int status, string? errorCode) =>
        status == 401
        || (status == 403 && errorCode is KmsErrorCodes.AuthTokenInvalid or AuthTokenRefused or KmsErrorCodes.AuthTokenExpired);

    /// <summary>The expiry as the service receives it: whole Unix seconds, fractions dropped. Every import path checks and sends this value.</summary>
    public static DateTimeOffset ToServiceExpiry(DateTimeOffset expiresOn) =>
        DateTimeOffset.FromUnixTimeSeconds(expiresOn.ToUnixTimeSeconds());

    /// <summary>Matches <see cref="KeyIdPatternText"/>.</summary>
    [GeneratedRegex(KeyIdPatternText, RegexOptions.CultureInvariant)]
    public static partial Regex KeyIdPattern();

    /// <summary>Matches <see cref="KeyAliasPatternText"/>.</summary>
    [GeneratedRegex(KeyAliasPatternText, RegexOptions.CultureInvariant)]
    public static partial Regex KeyAliasPattern();
}
