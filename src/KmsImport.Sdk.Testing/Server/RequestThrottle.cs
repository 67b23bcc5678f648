using System.Globalization;
using Microsoft.AspNetCore.Http;

namespace KmsImport.Sdk.Testing.Server;

/// <summary>
/// The server's rate limit (<see cref="LocalKmsServerOptions.MaxRequestsPerSecond"/>): refuses a
/// request over the rate with the gateway's 429 and a <c>Retry-After</c>, and counts refusals.
/// Thread-safe.
/// </summary>
internal sealed class RequestThrottle(double requestsPerSecond, TimeProvider timeProvider)
{
    private readonly RequestRateLimiter _limiter = new(requestsPerSecond, timeProvider);
    private int _throttledCount;

    /// <summary>How many requests were refused.</summary>
    public int ThrottledCount => Volatile.Read(ref _throttledCount);

    /// <summary>The gateway's throttling answer: 429, <c>APIG.0308</c>, <c>Retry-After</c> in whole seconds.</summary>
    public static Task WriteThrottledAsync(HttpContext context, int retryAfterSeconds, string requestId, CancellationToken cancellationToken)
    {
        context.Response.Headers.RetryAfter = retryAfterSeconds.ToString(CultureInfo.InvariantCulture);
        return HttpExchange.WriteAsync(context, 429, KmsWireFormat.WriteGatewayError(GatewayErrors.Throttled, "The throttling threshold has been reached", requestId), cancellationToken);
    }

    /// <summary>True when the request is over the rate and was answered with 429.</summary>
    public async Task<bool> TryRefuseAsync(HttpContext context, string requestId, CancellationToken cancellationToken)
    {
        if (_limiter.TryAcquire(out TimeSpan wait))
        {
            return false;
        }

        Interlocked.Increment(ref _throttledCount);
        await WriteThrottledAsync(context, Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)), requestId, cancellationToken).ConfigureAwait(false);
        return true;
    }
}
