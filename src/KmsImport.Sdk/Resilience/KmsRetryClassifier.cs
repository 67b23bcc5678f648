using System.Net.Http.Headers;
using KmsImport.Sdk.Transport;
using Polly;
using Polly.Timeout;

namespace KmsImport.Sdk.Resilience;

/// <summary>
/// What the transport retries. Safe operations: 408, 429, 5xx and failures without a response.
/// Non-idempotent operations: only when the service certainly did not process the request (429,
/// 503 for create-key, or a connection that could not be established). A code that
/// <see cref="KmsErrorPolicy"/> marks as failing is never retried. Never any other 4xx, above all APIG.0301
/// (five signature failures lock the AK for five minutes).
/// </summary>
internal static class KmsRetryClassifier
{
    public static bool ShouldRetry(KmsOperation operation, Outcome<KmsHttpResponse> outcome)
    {
        if (outcome.Result is { } response)
        {
            if (response.IsSuccess || KmsErrorPolicy.Decide(response.ErrorCode) == KmsErrorDecision.Fail)
            {
                return false;
            }

            return response.Status switch
            {
                429 => true,

                // RFC 9110: 503 says the service could not handle the request now. Only create-key
                // trusts it, since a duplicate create is settled by its alias (KMS.1104).
                503 => operation.IsIdempotent || operation.RetriesServiceUnavailable,
                408 => operation.IsIdempotent,
                >= 500 and <= 599 => operation.IsIdempotent,
                _ => false,
            };
        }

        return outcome.Exception switch
        {
            HttpRequestException ex when IsConnectFailure(ex) => true,
            HttpRequestException or IOException or TimeoutRejectedException => operation.IsIdempotent,

            // HttpClient.Timeout of a caller-supplied client.
            TaskCanceledException { InnerException: TimeoutException } => operation.IsIdempotent,
            _ => false,
        };
    }

    /// <summary>The connection was never established, so nothing of the request reached the service.</summary>
    public static bool IsConnectFailure(HttpRequestException exception) =>
        exception.HttpRequestError is HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError;

    /// <summary>
    /// The delay a <c>Retry-After</c> header asks for (seconds or an HTTP date), capped by
    /// <paramref name="maxDelay"/>; null when there is none and the back-off decides.
    /// </summary>
    public static TimeSpan? GetRetryAfterDelay(RetryConditionHeaderValue? retryAfter, DateTimeOffset now, TimeSpan maxDelay)
    {
        TimeSpan? requested = retryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - now,
            _ => null,
        };

        if (requested is not { } delay)
        {
            return null;
        }

        if (delay < TimeSpan.Zero)
        {
            delay = TimeSpan.Zero;
        }

        return delay > maxDelay ? maxDelay : delay;
    }
}
