namespace KmsImport.Sdk.Testing;

/// <summary>A fault to inject into the next <see cref="Count"/> matching requests.</summary>
/// <param name="kind">What the fault does.</param>
public sealed class LocalKmsFault(LocalKmsFaultKind kind)
{
    private int _triggered;

    /// <summary>What the fault does.</summary>
    public LocalKmsFaultKind Kind { get; } = kind;

    /// <summary>The operation it applies to (for example <c>import-key-material</c>); null for every operation. <value>Default null.</value></summary>
    public string? Operation { get; init; }

    /// <summary>Before or after processing. <value>Default <see cref="LocalKmsFaultTiming.BeforeProcessing"/>.</value></summary>
    public LocalKmsFaultTiming Timing { get; init; } = LocalKmsFaultTiming.BeforeProcessing;

    /// <summary>How many requests it strikes. <value>Default 1.</value></summary>
    public int Count { get; init; } = 1;

    /// <summary>The delay of a <see cref="LocalKmsFaultKind.Latency"/> fault. <value>Default 1 second.</value></summary>
    public TimeSpan Latency { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The status of <see cref="LocalKmsFaultKind.ServerError"/> (default 500) and <see cref="LocalKmsFaultKind.HtmlErrorPage"/> (default 502).</summary>
    public int? StatusCode { get; init; }

    /// <summary>The <c>Retry-After</c> of a <see cref="LocalKmsFaultKind.Throttle"/>, in whole seconds. <value>Default 1 second.</value></summary>
    public TimeSpan RetryAfter { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>The body length of an <see cref="LocalKmsFaultKind.OversizedBody"/>. <value>Default 4 MiB.</value></summary>
    public int OversizedBodyLength { get; init; } = 4 * 1024 * 1024;

    /// <summary>How many requests it has struck so far.</summary>
    public int Triggered => Volatile.Read(ref _triggered);

    internal bool TryTrigger()
    {
        // Called under the owner's lock.
        if (_triggered >= Count)
        {
            return false;
        }

        _triggered++;
        return true;
    }
}
