namespace KmsImport.Sdk.Testing.Server;

/// <summary>
/// The gateway's throttle: a token bucket of <c>N</c> requests per second (burst <c>N</c>) on the
/// server's <see cref="TimeProvider"/>. A request beyond the rate is refused before processing,
/// with how long until the next token.
/// </summary>
internal sealed class RequestRateLimiter(double requestsPerSecond, TimeProvider timeProvider)
{
    private readonly object _lock = new();
    private readonly double _capacity = Math.Max(1, requestsPerSecond);
    private double _tokens = Math.Max(1, requestsPerSecond);
    private long _last = timeProvider.GetTimestamp();

    /// <summary>Takes a token; false with the wait until the next one when none is left.</summary>
    public bool TryAcquire(out TimeSpan retryAfter)
    {
        lock (_lock)
        {
            long now = timeProvider.GetTimestamp();
            _tokens = Math.Min(_capacity, _tokens + (timeProvider.GetElapsedTime(_last, now).TotalSeconds * requestsPerSecond));
            _last = now;
            if (_tokens >= 1)
            {
                _tokens -= 1;
                retryAfter = TimeSpan.Zero;
                return true;
            }

            retryAfter = TimeSpan.FromSeconds((1 - _tokens) / requestsPerSecond);
            return false;
        }
    }
}
