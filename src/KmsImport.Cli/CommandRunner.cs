using System.CommandLine;

namespace KmsImport.Cli;

/// <summary>Runs a command body and hands whatever it throws to <see cref="ErrorReporter"/>, which says it on stderr and picks the exit code.</summary>
internal static class CommandRunner
{
    /// <param name="command">The command.</param>
    /// <param name="context">The process's streams.</param>
    /// <param name="globals">The options every command has (--verbose).</param>
    /// <param name="body">The command's work; returns the exit code.</param>
    /// <param name="ifCancelled">What a cancellation (Ctrl+C) of this command leaves done and not done, for the one line it prints; the exception's own account (the SDK's, or the command's) comes first.</param>
    public static void SetAction(Command command, CliContext context, GlobalOptions globals, Func<ParseResult, CancellationToken, Task<int>> body, Func<ParseResult, string> ifCancelled)
    {
        ArgumentNullException.ThrowIfNull(command);
        command.SetAction(async (parseResult, cancellationToken) =>
        {
            try
            {
                return await body(parseResult, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                string? cancelled = cancellationToken.IsCancellationRequested ? ifCancelled(parseResult) : null;
                return ErrorReporter.Report(ex, context.Error, parseResult.GetValue(globals.Verbose), cancelled);
            }
        });
    }
}
