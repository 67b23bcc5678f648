using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk.Transport;

// The transport's log (event ids 1001-1005; kept stable although the client's ids 1000-1024 overlap them: the event names tell them apart).
// Operation, key id, attempt, status, error code and request id only: never bodies, tokens,
// keys, material or credentials.
internal static partial class TransportLog
{
    [LoggerMessage(EventId = 1001, EventName = "KmsSending", Level = LogLevel.Debug,
        Message = "Sending KMS {Operation} for key {KeyId}, attempt {Attempt}")]
    public static partial void Sending(ILogger logger, string operation, string? keyId, int attempt);

    [LoggerMessage(EventId = 1002, EventName = "KmsReceived", Level = LogLevel.Debug,
        Message = "KMS {Operation} for key {KeyId}, attempt {Attempt}: HTTP {Status} {ErrorCode} [request id {RequestId}]")]
    public static partial void Received(ILogger logger, string operation, string? keyId, int attempt, int status, string? errorCode, string? requestId);

    [LoggerMessage(EventId = 1003, EventName = "KmsFailed", Level = LogLevel.Warning,
        Message = "KMS {Operation} for key {KeyId} failed with HTTP {Status} {ErrorCode} after {Attempt} attempt(s) [request id {RequestId}]")]
    public static partial void Failed(ILogger logger, string operation, string? keyId, int status, string? errorCode, int attempt, string? requestId);

    [LoggerMessage(EventId = 1004, EventName = "KmsNoResponse", Level = LogLevel.Warning,
        Message = "KMS {Operation} for key {KeyId} got no response after {Attempt} attempt(s) ({Reason}); the outcome is unknown")]
    public static partial void NoResponse(ILogger logger, string operation, string? keyId, int attempt, string? reason);

    [LoggerMessage(EventId = 1005, EventName = "KmsRefreshingToken", Level = LogLevel.Information,
        Message = "KMS {Operation} for key {KeyId}: the IAM token was rejected (HTTP {Status} {ErrorCode}); asking the token provider for a new one and sending once more [request id {RequestId}]")]
    public static partial void RefreshingToken(ILogger logger, string operation, string? keyId, int status, string? errorCode, string? requestId);
}
