namespace KmsImport.Sdk.Testing.Server;

/// <summary>
/// The gateway's lockout of an access key: after <c>maxFailures</c> consecutive failed signatures
/// the access key is refused, correct signatures included, for <c>duration</c> (judged by the
/// server's <see cref="TimeProvider"/>). A successful signature resets the count. Thread-safe.
/// </summary>
/// <param name="maxFailures">Consecutive failures that lock the key; 0 disables the lockout.</param>
/// <param name="duration">How long the key stays locked.</param>
/// <param name="timeProvider">The server's clock.</param>
internal sealed class AccessKeyLockout(int maxFailures, TimeSpan duration, TimeProvider timeProvider)
{
    private readonly Lock _gate = new();
    private int _failures;
    private DateTimeOffset? _lockedUntil;

    /// <summary>Whether the access key is locked now.</summary>
    public bool IsLocked
    {
        get
        {
            lock (_gate)
            {
                if (_lockedUntil is { } until && timeProvider.GetUtcNow() >= until)
                {
                    _lockedUntil = null;
                }

                return _lockedUntil is not null;
            }
        }
    }

    /// <summary>Counts a failed signature; the one that reaches the limit locks the key.</summary>
    public void RecordFailure()
    {
        if (maxFailures <= 0)
        {
            return;
        }

        lock (_gate)
        {
            if (++_failures >= maxFailures)
            {
                _failures = 0;
                _lockedUntil = timeProvider.GetUtcNow() + duration;
            }
        }
    }

    /// <summary>A correct signature: the failures so far are forgotten.</summary>
    public void RecordSuccess()
    {
        lock (_gate)
        {
            _failures = 0;
        }
    }
}
