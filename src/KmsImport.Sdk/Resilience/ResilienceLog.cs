using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk.Resilience;

// The resilience pipeline's log (event ids 2001-2099): operation, key id, attempt, status and request id only.
internal static partial class ResilienceLog
{
    [LoggerMessage(
        EventId = 2001,
        EventName = "KmsRetrying",
        Level = LogLevel.Warning,
        Message = "Retrying KMS {Operation} for key {KeyId} after attempt {Attempt} (HTTP {Status}, {Reason}) in {Delay} [request id {RequestId}]")]
    public static partial void Retrying(ILogger logger, string operation, string? keyId, int attempt, int status, string? reason, TimeSpan delay, string? requestId);
}
