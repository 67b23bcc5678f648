using System.Text.RegularExpressions;

namespace KmsImport.Cli.Tests.TestSupport;

/// <summary><c>kms-import emulator</c> run in process until <see cref="StopAsync"/>: what it printed, its URL and the environment another kms-import needs to talk to it.</summary>
internal sealed partial class EmulatorRun : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop;
    private readonly Task<int> _run;

    private EmulatorRun(CancellationTokenSource stop, Task<int> run, string text, IReadOnlyDictionary<string, string>? environment)
    {
        _stop = stop;
        _run = run;
        Text = text;
        Endpoint = ListeningOn().Match(text).Groups[1].Value;
        Environment = environment ?? new Dictionary<string, string>
        {
            ["HUAWEICLOUD_SDK_AK"] = Exported(text, "HUAWEICLOUD_SDK_AK"),
            ["HUAWEICLOUD_SDK_SK"] = Exported(text, "HUAWEICLOUD_SDK_SK"),
            ["HUAWEICLOUD_SDK_PROJECT_ID"] = Exported(text, "HUAWEICLOUD_SDK_PROJECT_ID"),
        };
    }

    /// <summary>What the emulator printed up to the line it was waited for.</summary>
    public string Text { get; }

    public string Endpoint { get; }

    /// <summary>The emulator's printed test credentials, or the environment it was started with.</summary>
    public IReadOnlyDictionary<string, string> Environment { get; }

    /// <summary>Starts the emulator and waits until it has printed its URL and how to reach it.</summary>
    /// <param name="args">The arguments after <c>emulator</c>.</param>
    /// <param name="environment">The emulator's environment (its credentials, not printed); null: none, it generates and prints test credentials.</param>
    public static async Task<EmulatorRun> StartAsync(string[] args, IReadOnlyDictionary<string, string>? environment = null)
    {
        var stop = new CancellationTokenSource();
        var output = new SynchronizedWriter();
        var context = new CliContext(output, TextWriter.Null, name => environment?.GetValueOrDefault(name));
        Task<int> run = CliApplication.RunAsync(["emulator", .. args], context, stop.Token);
        string text = await output.WaitForAsync("try:", TimeSpan.FromSeconds(60));
        return new EmulatorRun(stop, run, text, environment);
    }

    /// <summary>Ctrl+C: stops the emulator and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop.CancelAsync();
        return await _run;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_run.IsCompleted)
        {
            await StopAsync();
        }

        _stop.Dispose();
    }

    private static string Exported(string text, string name) => Regex.Match(text, $"{name}=(\\S+)").Groups[1].Value;

    [GeneratedRegex(@"listening on (\S+)")]
    private static partial Regex ListeningOn();
}
