using System.CommandLine;

namespace KmsImport.Cli;

/// <summary>Runs a command body and maps whatever it throws to an exit code and one line on stderr.</summary>
internal static class CommandRunner
{
    public static void SetAction(Command command, CliContext context, GlobalOptions globals, Func<ParseResult, CancellationToken, Task<int>> body)
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
                return ErrorReporter.Report(ex, context.Error, parseResult.GetValue(globals.Verbose));
            }
        });
    }
}
