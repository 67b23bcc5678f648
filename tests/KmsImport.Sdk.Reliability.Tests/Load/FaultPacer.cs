using KmsImport.Sdk.Testing;

namespace KmsImport.Sdk.Reliability.Tests.Load;

/// <summary>
/// Spreads transient faults over a run through the served emulator's fault injection: each time
/// another <see cref="Interval"/> requests have reached the server, it arms one seeded random
/// transient fault (throttle, 500/503, dropped connection, slow answer, truncated body, HTML 502),
/// before or after processing (a throttle only before, as the contract says), on get-parameters, import or describe. One in 20 is 5% (at most; a
/// new fault waits until the last one struck).
/// </summary>
internal sealed class FaultPacer : IAsyncDisposable
{
    private static readonly string[] s_operations = ["get-parameters-for-import", "import-key-material", "describe-key"];
    private static readonly string[] s_allOperations = ["create-key", "get-parameters-for-import", "import-key-material", "delete-imported-key-material", "describe-key"];
    private static readonly LocalKmsFaultKind[] s_kinds =
    [
        LocalKmsFaultKind.Throttle, LocalKmsFaultKind.ServerError, LocalKmsFaultKind.ServerError, LocalKmsFaultKind.DropConnection,
        LocalKmsFaultKind.Latency, LocalKmsFaultKind.TruncatedBody, LocalKmsFaultKind.HtmlErrorPage,
    ];

    private readonly LocalKmsServer _server;
    private readonly Random _random;
    private readonly TimeSpan _latency;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<LocalKmsFault> _armed = [];
    private readonly Task _loop;

    public FaultPacer(LocalKmsServer server, int seed, TimeSpan latency, int interval = 20)
    {
        _server = server;
        _random = new Random(seed);
        _latency = latency;
        Interval = interval;
        _loop = RunAsync();
    }

    public int Interval { get; }

    public int Armed => _armed.Count;

    public int Triggered => _armed.Sum(f => f.Triggered);

    public IReadOnlyDictionary<string, int> TriggeredByKind =>
        _armed.Where(f => f.Triggered > 0).GroupBy(f => $"{f.Kind}{(f.StatusCode is { } s ? " " + s : string.Empty)} {(f.Timing == LocalKmsFaultTiming.AfterProcessing ? "after" : "before")}")
            .ToDictionary(g => g.Key, g => g.Sum(f => f.Triggered), StringComparer.Ordinal);

    public int TotalRequests => s_allOperations.Sum(_server.GetRequestCount);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _loop.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (OperationCanceledException)
        {
        }

        _server.Faults.Clear();
        _stop.Dispose();
    }

    private async Task RunAsync()
    {
        int next = Interval;
        while (!_stop.IsCancellationRequested)
        {
            // One armed fault at a time: armed faults strike the next matching requests, so a backlog
            // would hit one call's retries back to back instead of spreading 5% over the run.
            if (TotalRequests >= next && _server.Faults.PendingCount == 0)
            {
                next = TotalRequests + Interval;
                LocalKmsFaultKind kind = s_kinds[_random.Next(s_kinds.Length)];
                _armed.Add(_server.Faults.Add(new LocalKmsFault(kind)
                {
                    Operation = s_operations[_random.Next(s_operations.Length)],
                    // A 429 means "not processed" (the gateway throttles before the service): a
                    // throttle after processing breaks the contract and has its own test in Faults/.
                    Timing = _random.Next(2) == 0 || kind == LocalKmsFaultKind.Throttle ? LocalKmsFaultTiming.BeforeProcessing : LocalKmsFaultTiming.AfterProcessing,
                    StatusCode = kind == LocalKmsFaultKind.ServerError ? (_random.Next(2) == 0 ? 500 : 503) : null,
                    Latency = _latency,
                    RetryAfter = TimeSpan.FromSeconds(1),
                }));
            }

            await Task.Delay(5, _stop.Token);
        }
    }
}
