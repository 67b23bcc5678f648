using KmsImport.Sdk.Contract;

namespace KmsImport.Sdk.Resilience;

/// <summary>
/// The one table of every error code documented in <c>kms-api.md</c> and the addendum (section 8),
/// with the HTTP status the service sends it with and the transport's decision. A code that is not
/// in the table falls back to the status rules of <see cref="KmsRetryClassifier"/>.
/// </summary>
internal static class KmsErrorPolicy
{
    /// <summary>Code, documented HTTP status, decision.</summary>
    public static IReadOnlyList<(string Code, int Status, KmsErrorDecision Decision)> Table { get; } =
    [
        // Bad input and key state (kms-api.md).
        (KmsErrorCodes.InvalidKeyId, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.KeyNotFound, 404, KmsErrorDecision.Fail),
        (KmsErrorCodes.ExternalKeyRequired, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.KeyNotPendingImport, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.DecryptionFailed, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.ImportTokenExpired, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.ExpirationTimeInvalid, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.ImportTokenKeyMismatch, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.MaterialLengthInvalid, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.ImportTokenInvalid, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.MaterialMismatch, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.PrivateKeyMissing, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.PrivateKeyInvalid, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.TemporaryKeyLengthInvalid, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.MaterialNotDeletable, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.PrivateKeyMaterialNotDeletable, 400, KmsErrorDecision.Fail),

        // Authentication and the gateway (kms-api.md).
        (KmsErrorCodes.AuthTokenInvalid, 403, KmsErrorDecision.Fail),
        (KmsContract.AuthTokenRefused, 403, KmsErrorDecision.Fail),
        (KmsErrorCodes.AuthTokenExpired, 403, KmsErrorDecision.Fail),
        (KmsErrorCodes.SignatureInvalid, 401, KmsErrorDecision.Fail),
        (KmsErrorCodes.ClockSkew, 401, KmsErrorDecision.Fail),
        (KmsErrorCodes.Throttled, 429, KmsErrorDecision.Retry),

        // Service errors (kms-api.md, addendum section 8).
        ("KMS.0100", 500, KmsErrorDecision.Retry),
        ("KMS.0101", 500, KmsErrorDecision.Retry),
        ("KMS.0102", 500, KmsErrorDecision.Retry),
        ("KMS.0103", 500, KmsErrorDecision.Retry),
        ("KMS.0104", 503, KmsErrorDecision.Retry),

        // The 2026 additions (addendum section 8).
        (KmsErrorCodes.DuplicateAlias, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.ResourceFrozen, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.ServiceFrozen, 403, KmsErrorDecision.Fail),
        (KmsErrorCodes.SystemError, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.ReplicaReadOnly, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.ExternalKeyNotRotatable, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.CustomKeystoreNoImport, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.CustomKeystoreNoRotation, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.RotationNotSupported, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.NotOriginalRegion, 400, KmsErrorDecision.Fail),
        (KmsErrorCodes.KeyQuotaExceeded, 400, KmsErrorDecision.Fail),
        ("KMS.2404", 400, KmsErrorDecision.Fail),
        ("KMS.2405", 400, KmsErrorDecision.Fail),
        ("KMS.0409", 400, KmsErrorDecision.Fail),
        ("KMS.0215", 405, KmsErrorDecision.Fail),
    ];

    private static readonly Dictionary<string, KmsErrorDecision> s_decisions =
        Table.ToDictionary(static row => row.Code, static row => row.Decision, StringComparer.Ordinal);

    /// <summary>The decision for a code; null when the code is not documented (the status decides).</summary>
    public static KmsErrorDecision? Decide(string? errorCode) =>
        errorCode is not null && s_decisions.TryGetValue(errorCode, out KmsErrorDecision decision) ? decision : null;
}
