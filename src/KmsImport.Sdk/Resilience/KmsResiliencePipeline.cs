using KmsImport.Sdk.Diagnostics;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace KmsImport.Sdk.Resilience;

/// <summary>
/// The transport's Polly v8 pipeline, outermost first: total timeout, retry (exponential back-off
/// with jitter, honouring <c>Retry-After</c>), attempt timeout. Each attempt builds and signs a
/// new request, so a retry never resends a stale <c>X-Sdk-Date</c>.
/// </summary>
internal static partial class KmsResiliencePipeline
{
    /// <summary>The call whose attempts the pipeline runs.</summary>
    public static readonly ResiliencePropertyKey<KmsCall> CallKey = new("KmsImport.Sdk.Call");

    public static ResiliencePipeline<KmsHttpResponse> Create(KmsRetryOptions options, TimeProvider timeProvider, ILogger logger)
    {
        var builder = new ResiliencePipelineBuilder<KmsHttpResponse>
        {
            Name = KmsImportDiagnostics.Name,
            TimeProvider = timeProvider,
        };

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "TotalTimeout", Timeout = options.TotalTimeout });
        if (options.MaxRetryAttempts > 0)
        {
            TimeSpan maxDelay = options.MaxDelay;
            builder.AddRetry(new RetryStrategyOptions<KmsHttpResponse>
            {
                Name = "Retry",
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = maxDelay,
                ShouldHandle = args => ValueTask.FromResult(
                    args.Context.Properties.TryGetValue(CallKey, out KmsCall? call)
                    && KmsRetryClassifier.ShouldRetry(call.Operation, args.Outcome)),
                DelayGenerator = args => ValueTask.FromResult(
                    KmsRetryClassifier.GetRetryAfterDelay(args.Outcome.Result?.RetryAfter, timeProvider.GetUtcNow(), maxDelay)),
                OnRetry = args =>
                {
                    if (args.Context.Properties.TryGetValue(CallKey, out KmsCall? call))
                    {
                        call.Retries++;
                        KmsImportDiagnostics.Retries.Add(1, new KeyValuePair<string, object?>("operation", call.Operation.Name));
                        ResilienceLog.Retrying(
                            logger,
                            call.Operation.Name,
                            call.KeyId,
                            call.Attempts,
                            args.Outcome.Result?.Status ?? 0,
                            args.Outcome.Result?.ErrorCode ?? args.Outcome.Exception?.GetType().Name,
                            args.RetryDelay,
                            args.Outcome.Result?.RequestId);
                    }

                    return default;
                },
            });
        }

        builder.AddTimeout(new TimeoutStrategyOptions { Name = "AttemptTimeout", Timeout = options.AttemptTimeout });
        return builder.Build();
    }
}
