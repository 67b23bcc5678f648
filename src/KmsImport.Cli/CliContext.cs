namespace KmsImport.Cli;

/// <summary>
/// What a command sees of the outside world: its output streams, standard input, the environment
/// and the clock. Tests pass their own; <see cref="CreateSystem"/> is the real process.
/// </summary>
internal sealed class CliContext
{
    public CliContext(TextWriter output, TextWriter error, Func<string, string?> getEnvironmentVariable, Func<Stream>? openStandardInput = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(getEnvironmentVariable);
        Output = output;
        Error = error;
        GetEnvironmentVariable = getEnvironmentVariable;
        OpenStandardInput = openStandardInput ?? (() => Stream.Null);
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    /// <summary>Results (key ids, tables, JSON).</summary>
    public TextWriter Output { get; }

    /// <summary>Errors, progress and narration.</summary>
    public TextWriter Error { get; }

    public Func<string, string?> GetEnvironmentVariable { get; }

    public Func<Stream> OpenStandardInput { get; }

    public TimeProvider TimeProvider { get; }

    /// <summary>Adjusts the client options after they were built from the arguments (tests shorten retries).</summary>
    public Action<KmsImport.Sdk.KeyImportClientOptions>? ConfigureClientOptions { get; init; }

    /// <summary>Whether Ctrl+C should cancel the command (the real process only; tests cancel with a token).</summary>
    public bool HandleProcessTermination { get; init; }

    /// <summary>Whether stderr is a terminal (live progress lines) rather than a file or pipe (one line per event).</summary>
    public bool ErrorIsTerminal { get; init; }

    public static CliContext CreateSystem() =>
        new(Console.Out, Console.Error, Environment.GetEnvironmentVariable, Console.OpenStandardInput)
        {
            HandleProcessTermination = true,
            ErrorIsTerminal = !Console.IsErrorRedirected,
        };
}
