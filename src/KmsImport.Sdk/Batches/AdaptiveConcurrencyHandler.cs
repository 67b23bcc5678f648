using System.Net;

namespace KmsImport.Sdk.Batches;

/// <summary>
/// Holds each HTTP request to KMS to the slots of an <see cref="AdaptiveConcurrencyLimiter"/> and
/// tells it how the service answered (429 or not). Add it to the client's HTTP pipeline, for example
/// <c>services.AddKeyImportClient(...).AddHttpMessageHandler(() =&gt; new AdaptiveConcurrencyHandler(limiter))</c>;
/// the transport's own retry still honours <c>Retry-After</c> for the request that got the 429.
/// </summary>
/// <param name="limiter">The limiter shared by the batch's requests.</param>
/// <param name="timeProvider">The clock a <c>Retry-After</c> date is read against; <see cref="TimeProvider.System"/> when null.</param>
public sealed class AdaptiveConcurrencyHandler(AdaptiveConcurrencyLimiter limiter, TimeProvider? timeProvider = null) : DelegatingHandler
{
    private readonly AdaptiveConcurrencyLimiter _limiter = limiter ?? throw new ArgumentNullException(nameof(limiter));
    private readonly TimeProvider _timeProvider = timeProvider ?? TimeProvider.System;

    /// <inheritdoc/>
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        using IDisposable slot = await _limiter.AcquireAsync(cancellationToken).ConfigureAwait(false);
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.TooManyRequests)
        {
            TimeSpan? delay = response.Headers.RetryAfter switch
            {
                { Delta: { } delta } => delta,
                { Date: { } date } => date - _timeProvider.GetUtcNow(),
                _ => null,
            };
            _limiter.OnThrottled(delay);
        }
        else
        {
            _limiter.OnSuccess();
        }

        return response;
    }
}
