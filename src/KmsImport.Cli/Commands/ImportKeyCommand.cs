using System.CommandLine;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Cli.Commands;

/// <summary><c>kms-import import-key</c>: the one-shot workflow (parameters, wrap, import) in memory.</summary>
internal static class ImportKeyCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        Option<string> keyId = CliOptions.KeyId("The key id (origin external, pending import).");
        var material = new MaterialOptions();
        Option<string?> expires = CliOptions.Expires();
        Option<string> algorithm = CliOptions.Algorithm("The wrapping algorithm", wrapsMaterial: true);
        Option<bool> json = CliOptions.Json();
        var connection = new ConnectionOptions();

        var command = new Command("import-key", "Import plaintext material in one step: fetch the import parameters, wrap in memory, import. Nothing is written to disk.")
        {
            keyId, expires, algorithm, json,
        };
        material.AddTo(command);
        connection.AddTo(command);

        CommandRunner.SetAction(command, context, globals, async (parseResult, cancellationToken) =>
        {
            string id = parseResult.GetRequiredValue(keyId);
            MaterialExpiry expiry = ExpiryParser.Parse(parseResult.GetValue(expires));
            if (material.IsPrivateKey(parseResult) && !expiry.IsNever)
            {
                throw new CliUsageException("--expires applies to symmetric material only; imported private keys never expire.");
            }

            ExpiryParser.ResolveFuture(expiry, context.TimeProvider);
            KmsConnection options = connection.Build(parseResult, context);
            await using KmsClientLease lease = KmsClientFactory.Create(options);

            // Symmetric bytes do not say which spec they are for: ask the key unless --spec says it.
            KeySpec? serviceSpec = null;
            if (!material.IsPrivateKey(parseResult) && material.GetSpec(parseResult) is null)
            {
                serviceSpec = (await lease.Client.DescribeKeyAsync(id, cancellationToken).ConfigureAwait(false)).KeySpec;
            }

            using KeyMaterial keyMaterial = material.Load(parseResult, context, serviceSpec);
            KeyImportResult result = await lease.Client.ImportKeyMaterialAsync(
                id,
                keyMaterial,
                new ImportKeyMaterialOptions { Expiry = expiry, WrappingAlgorithm = WrapCommand.ResolveAlgorithm(parseResult, algorithm, keyMaterial.KeySpec) },
                cancellationToken).ConfigureAwait(false);
            ResultPrinter.Print(context.Output, result, parseResult.GetValue(json));
            return ExitCodes.Success;
        },
        // The SDK says itself what a cancelled import left behind once its pre-flight has passed.
        ifCancelled: parseResult => $"nothing was imported into key {parseResult.GetRequiredValue(keyId)}");
        return command;
    }
}
