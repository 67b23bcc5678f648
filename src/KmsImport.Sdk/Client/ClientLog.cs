using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk;

// The client's log (event ids 1000-1099, 1100 for capabilities): operation, key id, attempt, status,
// error code and request id only; never material, tokens, wrapped ciphertexts, keys or credentials.
internal static partial class ClientLog
{
    [LoggerMessage(1000, LogLevel.Debug, "Importing {KeySpec} material into key {KeyId} (wrapping algorithm {WrappingAlgorithm}, expiry {Expiry}).")]
    public static partial void ImportStarting(ILogger logger, string keyId, KeySpec keySpec, WrappingAlgorithm wrappingAlgorithm, string expiry);

    [LoggerMessage(1001, LogLevel.Warning, "Import into key {KeyId} refused before sending: {Reason}")]
    public static partial void PreflightFailed(ILogger logger, string keyId, string reason);

    [LoggerMessage(1002, LogLevel.Debug, "Reusing cached import parameters for key {KeyId} ({WrappingAlgorithm}), valid until {ExpiresOn:O}.")]
    public static partial void ImportParametersReused(ILogger logger, string keyId, WrappingAlgorithm wrappingAlgorithm, DateTimeOffset expiresOn);

    [LoggerMessage(1003, LogLevel.Debug, "Fetched import parameters for key {KeyId} ({WrappingAlgorithm}), valid until {ExpiresOn:O}.")]
    public static partial void ImportParametersFetched(ILogger logger, string keyId, WrappingAlgorithm wrappingAlgorithm, DateTimeOffset expiresOn);

    [LoggerMessage(1004, LogLevel.Warning, "Fresh import parameters for key {KeyId} expire at {ExpiresOn:O}, within the safety margin of {SafetyMargin}; using them once without caching. Check this machine's clock.")]
    public static partial void ImportParametersShortLived(ILogger logger, string keyId, DateTimeOffset expiresOn, TimeSpan safetyMargin);

    [LoggerMessage(1005, LogLevel.Debug, "import-key-material attempt {Attempt} for key {KeyId}.")]
    public static partial void ImportAttempt(ILogger logger, string keyId, int attempt);

    [LoggerMessage(1006, LogLevel.Information, "The import token of key {KeyId} was refused ({ErrorCode}, request id {RequestId}); fetching new import parameters and wrapping again.")]
    public static partial void ImportTokenRefused(ILogger logger, string keyId, string? errorCode, string? requestId);

    [LoggerMessage(1007, LogLevel.Warning, "The outcome of import attempt {Attempt} for key {KeyId} is unknown (HTTP {Status}, request id {RequestId}); checking the key's state with describe-key.")]
    public static partial void ImportOutcomeUnknown(ILogger logger, string keyId, int attempt, int status, string? requestId);

    [LoggerMessage(1008, LogLevel.Warning, "Import attempt {Attempt} for key {KeyId} was refused ({ErrorCode}) after an earlier attempt whose outcome was unknown; checking the key's state with describe-key.")]
    public static partial void ImportRefusedAfterUnknownOutcome(ILogger logger, string keyId, int attempt, string? errorCode);

    [LoggerMessage(1009, LogLevel.Information, "Key {KeyId} is {KeyState} after import attempt {Attempt}: the import happened; not importing again.")]
    public static partial void ImportConfirmedByDescribe(ILogger logger, string keyId, string keyState, int attempt);

    [LoggerMessage(1010, LogLevel.Information, "Key {KeyId} is still {KeyState} after import attempt {Attempt}; trying again in {Delay}.")]
    public static partial void ImportRetryScheduled(ILogger logger, string keyId, string keyState, int attempt, TimeSpan delay);

    [LoggerMessage(1011, LogLevel.Warning, "describe-key for key {KeyId} failed while resolving an import of unknown outcome (HTTP {Status} {ErrorCode}); reporting the import's own error.")]
    public static partial void ImportResolutionFailed(ILogger logger, string keyId, int status, string? errorCode);

    [LoggerMessage(1012, LogLevel.Information, "Imported material into key {KeyId} after {Attempt} attempt(s); it expires {ExpiresOn}.")]
    public static partial void ImportSucceeded(ILogger logger, string keyId, int attempt, string expiresOn);

    [LoggerMessage(1013, LogLevel.Error, "Import into key {KeyId} failed after {Attempt} attempt(s): HTTP {Status} {ErrorCode}, request id {RequestId}.")]
    public static partial void ImportFailed(ILogger logger, string keyId, int attempt, int status, string? errorCode, string? requestId);

    [LoggerMessage(1014, LogLevel.Information, "Created external key {KeyId} ({KeySpec}) for import.")]
    public static partial void KeyCreated(ILogger logger, string keyId, KeySpec keySpec);

    [LoggerMessage(1015, LogLevel.Error, "Key {KeyId} was created but its material was not imported; it is left pending import.")]
    public static partial void KeyLeftPendingImport(ILogger logger, string keyId);

    [LoggerMessage(1016, LogLevel.Information, "Batch import finished: {Succeeded} succeeded, {Failed} failed, cancelled {Cancelled}.")]
    public static partial void BatchFinished(ILogger logger, int succeeded, int failed, bool cancelled);

    [LoggerMessage(1017, LogLevel.Warning, "Batch import item for key {KeyId} failed: {ErrorType}.")]
    public static partial void BatchItemFailed(ILogger logger, string keyId, string errorType);

    [LoggerMessage(1018, LogLevel.Warning, "The outcome of create-key attempt {Attempt} for alias {Alias} is unknown (HTTP {Status}, request id {RequestId}); creating again with the same alias to settle it.")]
    public static partial void CreateKeyOutcomeUnknown(ILogger logger, string alias, int attempt, int status, string? requestId);

    [LoggerMessage(1019, LogLevel.Information, "Settled an unknown outcome of create-key: the first attempt created key {KeyId} (alias {Alias}, taken: KMS.1104), found with list-keys; not creating another.")]
    public static partial void CreateKeySettledByAlias(ILogger logger, string alias, string keyId);

    [LoggerMessage(1020, LogLevel.Information, "Settled an unknown outcome of create-key: alias {Alias} was still free, so the first attempt created nothing; created key {KeyId}.")]
    public static partial void CreateKeySettledAsNotCreated(ILogger logger, string alias, string keyId);

    [LoggerMessage(1021, LogLevel.Error, "Could not settle an unknown outcome of create-key for alias {Alias}: {Found}.")]
    public static partial void CreateKeyUnsettled(ILogger logger, string alias, string found);

    [LoggerMessage(1022, LogLevel.Warning, "get-publickey for key {KeyId} failed after the import (HTTP {Status} {ErrorCode}); the import is confirmed as {Confirmation} only.")]
    public static partial void ImportPublicKeyUnverified(ILogger logger, string keyId, int status, string? errorCode, string confirmation);

    [LoggerMessage(1023, LogLevel.Error, "Key {KeyId} holds other material: its public key sha256:{Actual} is not the public key of the material imported, sha256:{Expected}.")]
    public static partial void ImportPublicKeyMismatch(ILogger logger, string keyId, string expected, string actual);

    [LoggerMessage(1024, LogLevel.Information, "Import into key {KeyId} confirmed: {Confirmation} (material sha256:{Fingerprint}).")]
    public static partial void ImportConfirmed(ILogger logger, string keyId, string confirmation, string fingerprint);

    [LoggerMessage(1100, LogLevel.Warning, "Using the legacy wrapping algorithm {WrappingAlgorithm} for {KeySpec} material because legacy algorithms are allowed; prefer RSAES_OAEP_SHA_256.")]
    public static partial void LegacyWrappingAlgorithm(ILogger logger, WrappingAlgorithm wrappingAlgorithm, KeySpec keySpec);
}
