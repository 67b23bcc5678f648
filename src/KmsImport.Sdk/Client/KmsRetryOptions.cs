namespace KmsImport.Sdk;

/// <summary>
/// Resilience of the HTTPS transport (Polly v8). Pipeline, outermost first: total timeout, retry,
/// attempt timeout. Retried: 408, 429, 5xx and transport failures, honouring <c>Retry-After</c>;
/// never other 4xx, above all <c>APIG.0301</c>.
/// </summary>
public sealed class KmsRetryOptions
{
    /// <summary>Retries after the first attempt, 0 to 10. <value>Default 3.</value></summary>
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first back-off delay, doubled per attempt with jitter. <value>Default 1 second.</value></summary>
    public TimeSpan BaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>The longest back-off delay, also the cap on <c>Retry-After</c>. <value>Default 30 seconds.</value></summary>
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The timeout of one attempt, 10 ms to 1 day. <value>Default 30 seconds.</value></summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The timeout of a call across all attempts, at least <see cref="AttemptTimeout"/>. <value>Default 2 minutes.</value></summary>
    public TimeSpan TotalTimeout { get; set; } = TimeSpan.FromMinutes(2);
}
