namespace KmsImport.Cli.Batch;

/// <summary>
/// Progress of <c>import-batch</c> on stderr. On a terminal: one live status line (done of total,
/// rate, time left, failures), failures printed above it. Otherwise (a log, CI): one line per key.
/// </summary>
internal sealed class BatchProgress(CliContext context, int total)
{
    private static readonly TimeSpan s_redrawInterval = TimeSpan.FromMilliseconds(250);
    private readonly long _started = context.TimeProvider.GetTimestamp();
    private long _lastDrawn;
    private int _done;
    private int _failed;
    private int _lineLength;

    public void Report(string name, string status, bool failed)
    {
        _done++;
        if (failed)
        {
            _failed++;
        }

        TextWriter error = context.Error;
        if (!context.ErrorIsTerminal)
        {
            error.WriteLine($"[{_done}/{total}] {name} {status}");
            return;
        }

        if (failed)
        {
            Clear();
            error.WriteLine($"[{_done}/{total}] {name} {status}");
        }

        long now = context.TimeProvider.GetTimestamp();
        if (failed || _done == total || context.TimeProvider.GetElapsedTime(_lastDrawn, now) >= s_redrawInterval)
        {
            _lastDrawn = now;
            Draw(context.TimeProvider.GetElapsedTime(_started, now));
        }
    }

    public void Finish()
    {
        if (context.ErrorIsTerminal && _lineLength > 0)
        {
            context.Error.WriteLine();
            _lineLength = 0;
        }
    }

    /// <summary>The status line: <c>[120/2000] 11.8 keys/s, 2m39s left, 0 failed</c>.</summary>
    internal static string StatusLine(int done, int total, int failed, TimeSpan elapsed)
    {
        double rate = elapsed > TimeSpan.Zero ? done / elapsed.TotalSeconds : 0;
        string left = rate > 0 && done < total ? FormatDuration(TimeSpan.FromSeconds((total - done) / rate)) + " left" : done >= total ? "done" : "estimating";
        return $"[{done}/{total}] {rate:0.0} keys/s, {left}, {failed} failed";
    }

    private static string FormatDuration(TimeSpan span) =>
        span.TotalHours >= 1 ? $"{(int)span.TotalHours}h{span.Minutes:00}m" : span.TotalMinutes >= 1 ? $"{(int)span.TotalMinutes}m{span.Seconds:00}s" : $"{span.Seconds}s";

    private void Draw(TimeSpan elapsed)
    {
        string line = StatusLine(_done, total, _failed, elapsed);
        context.Error.Write("\r" + line.PadRight(_lineLength));
        context.Error.Flush();
        _lineLength = line.Length;
    }

    private void Clear()
    {
        if (_lineLength > 0)
        {
            context.Error.Write("\r" + new string(' ', _lineLength) + "\r");
            _lineLength = 0;
        }
    }
}
