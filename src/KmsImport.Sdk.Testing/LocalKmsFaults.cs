namespace KmsImport.Sdk.Testing;

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
