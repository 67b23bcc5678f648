namespace KmsImport.Cli.Tests.TestSupport;

/// <summary>A writer the emulator writes to while the test reads.</summary>
internal sealed class SynchronizedWriter : StringWriter
{
    private readonly object _gate = new();

    public override void Write(char value)
    {
        lock (_gate)
        {
            base.Write(value);
        }
    }

    public override void Write(string? value)
    {
        lock (_gate)
        {
            base.Write(value);
        }
    }

    public override void WriteLine(string? value)
    {
        lock (_gate)
        {
            base.WriteLine(value);
        }
    }

    public async Task<string> WaitForAsync(string marker, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        while (true)
        {
            string text;
            lock (_gate)
            {
                text = ToString();
            }

            if (text.Contains(marker, StringComparison.Ordinal))
            {
                return text;
            }

            await Task.Delay(50, cts.Token);
        }
    }
}
