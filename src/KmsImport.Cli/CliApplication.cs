using System.CommandLine;
using System.CommandLine.Invocation;
using KmsImport.Cli.Commands;

namespace KmsImport.Cli;

/// <summary>The <c>kms-import</c> command tree and how it is run: parse errors exit with 2, failures with 1 or 2, Ctrl+C with 130; each with one line on stderr (<see cref="ErrorReporter"/>).</summary>
internal static class CliApplication
{
    public static RootCommand BuildRootCommand(CliContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var globals = new GlobalOptions();
        var root = new RootCommand(
            "kms-import: bring your own key to Huawei Cloud / Open Telekom Cloud KMS. The console guide's steps " +
            "(get the wrapping key and import token, wrap with RSA-OAEP and RFC 5649, import) with the guide's file names, " +
            "plus a local emulator. Credentials come only from HUAWEICLOUD_SDK_AK/SK (and HUAWEICLOUD_SDK_SECURITY_TOKEN) " +
            "or --auth-token-file, never from arguments. Exit codes: 0 success, 1 service or network failure, 2 bad usage or input, 130 cancelled (Ctrl+C).")
        {
            globals.Verbose,
            CreateKeyCommand.Create(context, globals),
            GetParametersCommand.Create(context, globals),
            WrapCommand.Create(context, globals),
            ImportCommand.Create(context, globals),
            ImportKeyCommand.Create(context, globals),
            ImportBatchCommand.Create(context, globals),
            ReimportCommand.Create(context, globals),
            DescribeCommand.Create(context, globals),
            ListKeysCommand.Create(context, globals),
            GetPublicKeyCommand.Create(context, globals),
            DeleteMaterialCommand.Create(context, globals),
            EmulatorCommand.Create(context, globals),
            DemoCommand.Create(context, globals),
        };
        return root;
    }

    public static async Task<int> RunAsync(string[] args, CliContext context, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(context);
        RootCommand root = BuildRootCommand(context);
        ParseResult parseResult = root.Parse(args);
        if (parseResult.Action is ParseErrorAction)
        {
            return ErrorReporter.ReportParseErrors(parseResult, context.Error);
        }

        var configuration = new InvocationConfiguration
        {
            Output = context.Output,
            Error = context.Error,
            EnableDefaultExceptionHandler = false,
            // Ctrl+C (and SIGTERM) cancel the command's token; the command then reports what it left done (exit 130).
            ProcessTerminationTimeout = context.HandleProcessTermination ? TimeSpan.FromSeconds(5) : null,
        };
        return await parseResult.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
