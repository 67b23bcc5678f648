using System.CommandLine;
using KmsImport.Sdk;

namespace KmsImport.Cli.Commands;

/// <summary><c>kms-import describe</c>: a key's state, spec, origin and material expiry.</summary>
internal static class DescribeCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        Option<string> keyId = CliOptions.KeyId();
        Option<bool> json = CliOptions.Json();
        var connection = new ConnectionOptions();
        var command = new Command("describe", "Show a key: state, spec, usage, origin, material expiry.") { keyId, json };
        connection.AddTo(command);

        CommandRunner.SetAction(command, context, globals, async (parseResult, cancellationToken) =>
        {
            KmsConnection options = connection.Build(parseResult, context);
            await using KmsClientLease lease = KmsClientFactory.Create(options);
            KeyDetails details = await lease.Client.DescribeKeyAsync(parseResult.GetRequiredValue(keyId), cancellationToken).ConfigureAwait(false);
            ResultPrinter.Print(context.Output, details, parseResult.GetValue(json));
            return ExitCodes.Success;
        },
        ifCancelled: _ => "nothing was changed");
        return command;
    }
}
