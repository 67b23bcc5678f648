using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk.Resilience;

internal static partial class KmsResiliencePipeline
{
    internal static partial class Log
    {
        [LoggerMessage(
            EventId = 2001,
            EventName = "KmsRetrying",
            Level = LogLevel.Warning,
            Message = "Retrying KMS {Operation} for key {KeyId} after attempt {Attempt} (HTTP {Status}, {Reason}) in {Delay} [request id {RequestId}]")]
        public static partial void Retrying(ILogger logger, string operation, string? keyId, int attempt, int status, string? reason, TimeSpan delay, string? requestId);
    }
}
