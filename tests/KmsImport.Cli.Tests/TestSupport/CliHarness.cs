using System.Diagnostics;

namespace KmsImport.Cli.Tests.TestSupport;

/// <summary>
/// Runs the kms-import root command in process, with captured output and its own environment; or,
/// when <c>KMS_IMPORT_EXECUTABLE</c> names a kms-import binary (the Native AOT build), runs that
/// binary as a process with the same arguments, environment and standard input.
/// </summary>
internal static class CliHarness
{
    public const string ExecutableVariable = "KMS_IMPORT_EXECUTABLE";

    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    public static async Task<CliRun> RunAsync(IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment = null, byte[]? standardInput = null, Action<KmsImport.Sdk.KeyImportClientOptions>? configureClient = null, CancellationToken cancellationToken = default)
    {
        if (Environment.GetEnvironmentVariable(ExecutableVariable) is { Length: > 0 } executable)
        {
            // A separate process cannot take configureClient: it runs with the tool's own retry settings.
            return await RunProcessAsync(executable, args, environment, standardInput, cancellationToken);
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

    private static async Task<CliRun> RunProcessAsync(string executable, IEnumerable<string> args, IReadOnlyDictionary<string, string>? environment, byte[]? standardInput, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(executable)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
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

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"cannot start {executable}");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        Task<string> stdout = process.StandardOutput.ReadToEndAsync(timeout.Token);
        Task<string> stderr = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.StandardInput.BaseStream.WriteAsync(standardInput ?? [], timeout.Token);
        process.StandardInput.Close();
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            // Cancellation of a run is a Ctrl+C for the tool.
            process.Kill(entireProcessTree: true);
            throw;
        }

        return new CliRun(process.ExitCode, await stdout, await stderr);
    }
}
