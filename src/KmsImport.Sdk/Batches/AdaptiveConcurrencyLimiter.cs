namespace KmsImport.Sdk.Batches;

/// <summary>
/// How many requests may be in flight at once, adapted to the service (AIMD): each 429 halves the
/// limit and holds new requests back for its <c>Retry-After</c>; each run of successes as long as
/// the limit raises it by one, up to <see cref="MaxLimit"/>. Shared by all the requests of a batch
/// through <see cref="AdaptiveConcurrencyHandler"/>.
/// </summary>
public sealed class AdaptiveConcurrencyLimiter
{
    private readonly object _lock = new();
    private readonly TimeProvider _timeProvider;
    private readonly Queue<TaskCompletionSource> _waiters = new();
    private int _inFlight;
    private int _successes;
    private DateTimeOffset _pausedUntil;
    private ITimer? _resumeTimer;
    private int _pauseGeneration;

    /// <summary>Creates a limiter.</summary>
    /// <param name="initialLimit">The first limit.</param>
    /// <param name="maxLimit">The highest limit.</param>
    /// <param name="timeProvider">The clock of <c>Retry-After</c> pauses; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">A limit is below 1, or <paramref name="initialLimit"/> above <paramref name="maxLimit"/>.</exception>
    public AdaptiveConcurrencyLimiter(int initialLimit, int maxLimit, TimeProvider? timeProvider = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxLimit, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(initialLimit, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(initialLimit, maxLimit);
        CurrentLimit = initialLimit;
        MaxLimit = maxLimit;
        _timeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>The highest limit.</summary>
    public int MaxLimit { get; }

    /// <summary>The limit now.</summary>
    public int CurrentLimit { get; private set; }

    /// <summary>How many 429 answers were seen.</summary>
    public int ThrottledCount { get; private set; }

    /// <summary>Waits for a slot; dispose the result when the request is done.</summary>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <returns>The slot.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<IDisposable> AcquireAsync(CancellationToken cancellationToken = default)
    {
        TaskCompletionSource waiter;
        lock (_lock)
        {
            if (_waiters.Count == 0 && CanStart())
            {
                _inFlight++;
                return new Slot(this);
            }

            waiter = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Enqueue(waiter);
        }

        using (cancellationToken.Register(static state => ((TaskCompletionSource)state!).TrySetCanceled(), waiter))
        {
            try
            {
                await waiter.Task.ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                lock (_lock)
                {
                    // Granted between the cancellation and now: give the slot back.
                    if (waiter.Task.IsCompletedSuccessfully)
                    {
                        _inFlight--;
                        WakeWaiters();
                    }
                }

                throw new OperationCanceledException(cancellationToken);
            }
        }

        return new Slot(this);
    }

    /// <summary>A request succeeded (any answer but 429): after as many successes as the limit, the limit grows by one.</summary>
    public void OnSuccess()
    {
        lock (_lock)
        {
            if (CurrentLimit < MaxLimit && ++_successes >= CurrentLimit)
            {
                _successes = 0;
                CurrentLimit++;
                WakeWaiters();
            }
        }
    }

    /// <summary>The service answered 429: halve the limit and hold new requests back for <paramref name="retryAfter"/>.</summary>
    /// <param name="retryAfter">The delay the service asked for, if any.</param>
    public void OnThrottled(TimeSpan? retryAfter)
    {
        lock (_lock)
        {
            ThrottledCount++;
            _successes = 0;
            CurrentLimit = Math.Max(1, CurrentLimit / 2);
            if (retryAfter is { } delay && delay > TimeSpan.Zero)
            {
                DateTimeOffset until = _timeProvider.GetUtcNow() + delay;
                if (until > _pausedUntil)
                {
                    _pausedUntil = until;
                    _resumeTimer?.Dispose();
                    int generation = ++_pauseGeneration;
                    _resumeTimer = _timeProvider.CreateTimer(state => Resume(generation), null, delay, Timeout.InfiniteTimeSpan);
                }
            }
        }
    }

    private bool CanStart() => _inFlight < CurrentLimit && _timeProvider.GetUtcNow() >= _pausedUntil;

    // The timer of the latest pause ends it, even if it fires a tick before the clock reaches the end.
    private void Resume(int generation)
    {
        lock (_lock)
        {
            if (generation == _pauseGeneration)
            {
                _pausedUntil = DateTimeOffset.MinValue;
            }

            WakeWaiters();
        }
    }

    // Under the lock.
    private void WakeWaiters()
    {
        while (_waiters.Count > 0 && CanStart())
        {
            TaskCompletionSource next = _waiters.Dequeue();
            if (next.TrySetResult())
            {
                _inFlight++;
            }
        }
    }

    private void Release()
    {
        lock (_lock)
        {
            _inFlight--;
            WakeWaiters();
        }
    }

    private sealed class Slot(AdaptiveConcurrencyLimiter owner) : IDisposable
    {
        private AdaptiveConcurrencyLimiter? _owner = owner;

        public void Dispose() => Interlocked.Exchange(ref _owner, null)?.Release();
    }
}
