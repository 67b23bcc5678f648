using System.CommandLine;

namespace KmsImport.Cli.Commands;

/// <summary><c>kms-import delete-material</c>: deletes imported symmetric material; the key returns to pending import.</summary>
internal static class DeleteMaterialCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        Option<string> keyId = CliOptions.KeyId();
        var connection = new ConnectionOptions();
        var command = new Command("delete-material", "Delete imported symmetric material; the key returns to pending import and accepts only the same material again. Imported private keys cannot be deleted.") { keyId };
        connection.AddTo(command);

        CommandRunner.SetAction(command, context, globals, async (parseResult, cancellationToken) =>
        {
            string id = parseResult.GetRequiredValue(keyId);
            KmsConnection options = connection.Build(parseResult, context);
            await using KmsClientLease lease = KmsClientFactory.Create(options);
            await lease.Client.DeleteImportedKeyMaterialAsync(id, cancellationToken).ConfigureAwait(false);
            context.Output.WriteLine($"deleted the material of {id}; the key is pending import");
            return ExitCodes.Success;
        },
        ifCancelled: parseResult => $"the material of key {parseResult.GetRequiredValue(keyId)} may have been deleted (its request may have been sent); check with kms-import describe --key-id {parseResult.GetRequiredValue(keyId)}");
        return command;
    }
}
