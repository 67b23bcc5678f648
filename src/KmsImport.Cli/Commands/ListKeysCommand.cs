using System.CommandLine;
using KmsImport.Sdk;

namespace KmsImport.Cli.Commands;

/// <summary><c>kms-import list-keys</c>: every key of the project (all specs), optionally of one state.</summary>
internal static class ListKeysCommand
{
    private static readonly Dictionary<string, KeyState> s_states = new(StringComparer.OrdinalIgnoreCase)
    {
        ["PendingActivation"] = KeyState.PendingActivation,
        ["Enabled"] = KeyState.Enabled,
        ["Disabled"] = KeyState.Disabled,
        ["PendingDeletion"] = KeyState.PendingDeletion,
        ["PendingImport"] = KeyState.PendingImport,
        ["1"] = KeyState.PendingActivation,
        ["2"] = KeyState.Enabled,
        ["3"] = KeyState.Disabled,
        ["4"] = KeyState.PendingDeletion,
        ["5"] = KeyState.PendingImport,
    };

    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var state = new Option<string?>("--state") { Description = "Only keys in this state: Enabled, Disabled, PendingImport, PendingDeletion, PendingActivation (or 1-5).", HelpName = "STATE" };
        Option<bool> json = CliOptions.Json();
        var connection = new ConnectionOptions();
        var command = new Command("list-keys", "List the keys of the project, every key spec included (list-keys with key_spec ALL).") { state, json };
        connection.AddTo(command);

        CommandRunner.SetAction(command, context, globals, async (parseResult, cancellationToken) =>
        {
            KeyState? filter = null;
            if (parseResult.GetValue(state) is { } name)
            {
                filter = s_states.TryGetValue(name, out KeyState known)
                    ? known
                    : throw new CliUsageException($"--state {name}: use Enabled, Disabled, PendingImport, PendingDeletion or PendingActivation (the service filters by these five states only).");
            }

            KmsConnection options = connection.Build(parseResult, context);
            await using KmsClientLease lease = KmsClientFactory.Create(options);
            var keys = new List<KeyDetails>();
            await foreach (KeyDetails key in lease.Client.ListKeysAsync(new ListKeysOptions { State = filter }, cancellationToken).ConfigureAwait(false))
            {
                keys.Add(key);
            }

            ResultPrinter.Print(context.Output, keys, parseResult.GetValue(json));
            return ExitCodes.Success;
        },
        ifCancelled: _ => "nothing was changed");
        return command;
    }
}
