namespace KmsImport.Sdk.Testing;

/// <summary>What an injected fault does to a request.</summary>
public enum LocalKmsFaultKind
{
    /// <summary>Waits <see cref="LocalKmsFault.Latency"/>, then answers normally.</summary>
    Latency,

    /// <summary>429 <c>APIG.0308</c> (gateway error shape) with <c>Retry-After</c>.</summary>
    Throttle,

    /// <summary>A 5xx (<see cref="LocalKmsFault.StatusCode"/>, default 500) with a KMS error body.</summary>
    ServerError,

    /// <summary>Aborts the connection without a response.</summary>
    DropConnection,

    /// <summary>200 with a body that is not valid JSON.</summary>
    MalformedJson,

    /// <summary>200 whose body stops half way through its declared <c>Content-Length</c>, then the connection is aborted.</summary>
    TruncatedBody,

    /// <summary>An HTML error page (<see cref="LocalKmsFault.StatusCode"/>, default 502), as a proxy in front of the service might send.</summary>
    HtmlErrorPage,

    /// <summary>200 with a JSON body of <see cref="LocalKmsFault.OversizedBodyLength"/> bytes.</summary>
    OversizedBody,
}

/// <summary>When an injected fault strikes.</summary>
public enum LocalKmsFaultTiming
{
    /// <summary>Before the request is authenticated and processed: the emulator's state does not change.</summary>
    BeforeProcessing,

    /// <summary>After the request was processed (an import happened), instead of the real response.</summary>
    AfterProcessing,
}

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

/// <summary>The faults armed on a <see cref="LocalKmsServer"/>. Thread-safe.</summary>
public sealed class LocalKmsFaults
{
    private readonly List<LocalKmsFault> _faults = [];
    private readonly Lock _gate = new();

    /// <summary>Arms a fault; faults strike in the order they were added.</summary>
    /// <param name="fault">The fault.</param>
    /// <returns>The same fault, to observe <see cref="LocalKmsFault.Triggered"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fault"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The count is not positive, or the latency or Retry-After is negative.</exception>
    public LocalKmsFault Add(LocalKmsFault fault)
    {
        ArgumentNullException.ThrowIfNull(fault);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(fault.Count);
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.Latency, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(fault.RetryAfter, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(fault.OversizedBodyLength);
        lock (_gate)
        {
            _faults.Add(fault);
        }

        return fault;
    }

    /// <summary>Arms a fault of <paramref name="kind"/> with default settings.</summary>
    /// <param name="kind">What the fault does.</param>
    /// <param name="operation">The operation it applies to; null for all.</param>
    /// <param name="count">How many requests it strikes.</param>
    /// <param name="timing">Before or after processing.</param>
    /// <returns>The fault.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="count"/> is not positive.</exception>
    public LocalKmsFault Add(LocalKmsFaultKind kind, string? operation = null, int count = 1, LocalKmsFaultTiming timing = LocalKmsFaultTiming.BeforeProcessing) =>
        Add(new LocalKmsFault(kind) { Operation = operation, Count = count, Timing = timing });

    /// <summary>The number of faults with strikes left.</summary>
    public int PendingCount
    {
        get
        {
            lock (_gate)
            {
                return _faults.Count(f => f.Triggered < f.Count);
            }
        }
    }

    /// <summary>Disarms every fault.</summary>
    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    internal LocalKmsFault? TryTake(string operation, LocalKmsFaultTiming timing)
    {
        lock (_gate)
        {
            foreach (LocalKmsFault fault in _faults)
            {
                if (fault.Timing == timing
                    && (fault.Operation is null || string.Equals(fault.Operation, operation, StringComparison.Ordinal))
                    && fault.TryTrigger())
                {
                    return fault;
                }
            }

            return null;
        }
    }
}
