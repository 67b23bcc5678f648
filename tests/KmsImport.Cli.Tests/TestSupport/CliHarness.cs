using System.Diagnostics;

namespace KmsImport.Cli.Tests.TestSupport;

/// <summary>
/// Runs the kms-import root command in process, with captured output and its own environment; or,
/// when <c>KMS_IMPORT_EXECUTABLE</c> names a kms-import binary (the Native AOT build), runs that
/// binary as a process with the same arguments, environment and standard input. Cancelling a run is
/// Ctrl+C for the tool: its token in process, SIGINT for a process.
/// </summary>
internal static class CliHarness
{
    public const string ExecutableVariable = "KMS_IMPORT_EXECUTABLE";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    // How long a process may take to exit after SIGINT before it is killed.
    private static readonly TimeSpan s_interruptGrace = TimeSpan.FromSeconds(10);

    public static async Task<CliRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, byte[]? standardInput = null, Action<KmsImport.Sdk.KeyImportClientOptions>? configureClient = null, CancellationToken cancellationToken = default)
    {
        if (Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 })
        {
            // A separate process cannot take configureClient: it runs with the tool's own retry settings.
            return await RunProcessAsync(args, environment, standardInput, cancellationToken);
        }

        var output = new StringWriter();
        var error = new StringWriter();
        var context = new CliContext(
            output,
            error,
            name => environment is not null && environment.TryGetValue(name, out string? value) ? value : null,
            () => new MemoryStream(standardInput ?? []))
        {
            ConfigureClientOptions = configureClient ?? (o =>
            {
                // Service errors in these tests are final; keep transient retries short.
                o.Retry.MaxRetryAttempts = 1;
                o.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
                o.Retry.AttemptTimeout = TimeSpan.FromSeconds(20);
                o.Retry.TotalTimeout = TimeSpan.FromSeconds(40);
            }),
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        int exitCode = await CliApplication.RunAsync(args.ToArray(), context, timeout.Token);
        return new CliRun(exitCode, output.ToString(), error.ToString());
    }

    public static Task<CliRun> RunAsync(params string[] args) => RunAsync((IEnumerable<string>)args);

    /// <summary>
    /// Runs kms-import as a process: the binary <c>KMS_IMPORT_EXECUTABLE</c> names, else the built
    /// <c>kms-import.dll</c> beside the tests with <c>dotnet</c>.
    /// </summary>
    public static async Task<CliRun> RunProcessAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, byte[]? standardInput = null, CancellationToken cancellationToken = default)
    {
        string? executable = Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } binary ? binary : null;
        var start = new ProcessStartInfo(executable ?? "dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (executable is null)
        {
            start.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "kms-import.dll"));
        }

        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        // The in-process runs see only the given variables: so does the process, for the tool's own ones.
        foreach (string name in start.Environment.Keys.Where(n => n.StartsWith("HUAWEICLOUD_", StringComparison.Ordinal) || n.StartsWith("KMS_", StringComparison.Ordinal)).ToArray())
        {
            start.Environment.Remove(name);
        }

        foreach (KeyValuePair<string, string> variable in environment ?? new Dictionary<string, string>())
        {
            start.Environment[variable.Key] = variable.Value;
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {start.FileName}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
        Task<string> stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        await process.StandardInput.BaseStream.WriteAsync(standardInput ?? [], timeout.Token);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            await InterruptAsync(process);
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }

    /// <summary>Runs a command and cancels it (Ctrl+C) once <paramref name="when"/> holds, for example when a slow request reached the emulator.</summary>
    public static async Task<CliRun> RunAndCancelAsync(Func<CancellationToken, Task<CliRun>> run, Func<bool> when)
    {
        using var cancel = new CancellationTokenSource();
        Task<CliRun> running = run(cancel.Token);
        using (var limit = new CancellationTokenSource(Timeout))
        {
            while (!when() && !running.IsCompleted)
            {
                await Task.Delay(20, limit.Token);
            }
        }

        // A cancellation test means nothing if the moment never came (the command finished first).
        Assert.That(when(), Is.True, "the moment to cancel came before the command finished");
        await cancel.CancelAsync();
        return await running;
    }

    // Ctrl+C for a process: SIGINT (kill -INT), then a kill if it does not exit in time.
    private static async Task InterruptAsync(Process process)
    {
        if (!OperatingSystem.IsWindows())
        {
            using Process kill = Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]) ?? throw new InvalidOperationException("cannot start kill");
            await kill.WaitForExitAsync();
            using var grace = new CancellationTokenSource(s_interruptGrace);
            try
            {
                await process.WaitForExitAsync(grace.Token);
                return;
            }
            catch (OperationCanceledException)
            {
                // It did not stop: killed below.
            }
        }

        process.Kill(entireProcessTree: true);
        throw new TimeoutException($"kms-import did not exit after Ctrl+C within {s_interruptGrace.TotalSeconds} s.");
    }
}
