using System.CommandLine;
using System.Text.Json;
using KmsImport.Sdk;

namespace KmsImport.Cli.Commands;

/// <summary><c>kms-import create-key</c>: a key with origin external, ready for import.</summary>
internal static class CreateKeyCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var alias = new Option<string>("--alias") { Description = "The key alias: 1-255 of a-z A-Z 0-9 : / _ -.", Required = true, HelpName = "ALIAS" };
        Option<string> spec = CliOptions.KeySpecToCreate();
        var usage = new Option<string?>("--usage") { Description = "The key usage: ENCRYPT_DECRYPT, SIGN_VERIFY or GENERATE_VERIFY_MAC. Default: the spec's usual one.", HelpName = "USAGE" };
        var description = new Option<string?>("--description") { Description = "A description of up to 255 characters.", HelpName = "TEXT" };
        Option<bool> json = CliOptions.Json(insteadOf: "the bare key id");
        var connection = new ConnectionOptions();

        var command = new Command("create-key", "Create a key with origin external (state: pending import) and print its id.")
        {
            alias, spec, usage, description, json,
        };
        connection.AddTo(command);

        CommandRunner.SetAction(command, context, globals, async (parseResult, cancellationToken) =>
        {
            var keySpec = new KeySpec(parseResult.GetRequiredValue(spec));
            var request = new CreateKeyRequest(parseResult.GetRequiredValue(alias))
            {
                KeySpec = keySpec,
                KeyUsage = parseResult.GetValue(usage) is { } u ? new KeyUsage(u) : (KeyUsage?)null,
                KeyDescription = parseResult.GetValue(description),
            };
            KmsConnection options = connection.Build(parseResult, context);
            await using KmsClientLease lease = KmsClientFactory.Create(options);
            CreateKeyResult result = await lease.Client.CreateKeyAsync(request, cancellationToken).ConfigureAwait(false);
            if (parseResult.GetValue(json))
            {
                context.Output.WriteLine(JsonSerializer.Serialize(new Dictionary<string, string?> { ["key_id"] = result.KeyId, ["domain_id"] = result.DomainId, ["key_spec"] = keySpec.ToString() }, CliJsonContext.Default.DictionaryStringString));
            }
            else
            {
                context.Output.WriteLine(result.KeyId);
            }

            return ExitCodes.Success;
        },
        ifCancelled: parseResult => $"the key with alias {parseResult.GetRequiredValue(alias)} may have been created (its request may have been sent); check with kms-import list-keys before creating it again");
        return command;
    }
}
