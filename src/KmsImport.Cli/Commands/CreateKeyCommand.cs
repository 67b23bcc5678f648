using System.CommandLine;
using System.Text.Json;
using KmsImport.Sdk;
using KmsImport.Sdk.Transport;

namespace KmsImport.Cli.Commands;

/// <summary><c>kms-import create-key</c>: a key with origin external, ready for import.</summary>
internal static class CreateKeyCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var alias = new Option<string>("--alias") { Description = "The key alias: 1-255 of a-z A-Z 0-9 : / _ -.", Required = true, HelpName = "ALIAS" };
        var spec = new Option<string>("--spec") { Description = "The key spec: AES_256, HMAC_256, HMAC_384, HMAC_512, RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384.", DefaultValueFactory = _ => "AES_256", HelpName = "SPEC" };
        var usage = new Option<string?>("--usage") { Description = "The key usage: ENCRYPT_DECRYPT, SIGN_VERIFY or GENERATE_VERIFY_MAC. Default: the spec's usual one.", HelpName = "USAGE" };
        var description = new Option<string?>("--description") { Description = "A description of up to 255 characters.", HelpName = "TEXT" };
        var json = new Option<bool>("--json") { Description = "Print JSON instead of the bare key id." };
        var connection = new ConnectionOptions();

        var command = new Command("create-key", "Create a key with origin external (state: pending import) and print its id.")
        {
            alias, spec, usage, description, json,
        };
        connection.AddTo(command);

        CommandRunner.SetAction(command, context, globals, async (parseResult, cancellationToken) =>
        {
            var keySpec = new KeySpec(parseResult.GetRequiredValue(spec));
            if (!keySpec.IsImportable)
            {
                throw new CliUsageException($"--spec {keySpec}: material cannot be imported into this key spec; use AES_256, HMAC_256/384/512, RSA_2048/3072/4096, EC_P256 or EC_P384.");
            }

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
        });
        return command;
    }
}
