using System.CommandLine;
using System.Globalization;
using KmsImport.Cli.Batch;
using KmsImport.Sdk;
using KmsImport.Sdk.Batches;
using KmsImport.Sdk.Contract;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Cli.Commands;

/// <summary>
/// <c>kms-import import-batch</c>: many keys from a manifest, at one or more targets, existing keys or
/// keys created by alias; resumable with <c>--journal</c>, adaptive to the service's rate limit,
/// with progress and a summary.
/// </summary>
internal static class ImportBatchCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var manifest = new Option<string>("--manifest") { Description = "The JSON manifest (see the README: keyId or alias+spec, plus material or privateKey, per key; optional endpoint or region/cloud/projectId per key).", Required = true, HelpName = "FILE" };
        var maxConcurrency = new Option<int?>("--max-concurrency") { Description = "How many keys are worked on at once (1-256); requests adapt below it when the service answers 429. Default: the manifest's maxConcurrency, else " + KmsContract.DefaultBatchConcurrency.ToString(CultureInfo.InvariantCulture) + ".", HelpName = "N" };
        var journal = new Option<string?>("--journal") { Description = "An append-only journal (JSON lines, mode 0600, no secrets) that makes the batch resumable: run again with the same file after an interruption.", HelpName = "FILE" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and check every file, spec and target, print the plan, send nothing." };
        var connection = new ConnectionOptions();
        var command = new Command("import-batch", "Import many keys listed in a JSON manifest: progress on stderr, a summary table on stdout, exit code 1 when any key failed.")
        {
            manifest, maxConcurrency, journal, dryRun,
        };
        connection.AddTo(command);

        CommandRunner.SetAction(command, context, globals, async (parseResult, cancellationToken) =>
        {
            string manifestPath = parseResult.GetRequiredValue(manifest);
            BatchManifest loaded = BatchManifest.Load(manifestPath, context);
            int concurrency = parseResult.GetValue(maxConcurrency) ?? loaded.MaxConcurrency ?? KmsContract.DefaultBatchConcurrency;
            if (concurrency is < 1 or > 256)
            {
                throw new CliUsageException($"--max-concurrency {concurrency}: use 1 to 256.");
            }

            // Every target, file and spec is checked before anything is sent.
            KmsConnection defaults = connection.Build(parseResult, context, requireTarget: false);
            Dictionary<BatchTargetFields, BatchTarget> targets = BatchTargets.Resolve(loaded, defaults.Options, parseResult.GetValue(connection.Cloud) ?? CloudNames.Huawei, defaults.Credential is IamTokenCredential);
            using BatchMaterials materials = BatchMaterials.Load(loaded, context);
            string? journalPath = parseResult.GetValue(journal);
            if (parseResult.GetValue(dryRun))
            {
                BatchPlan.Write(context.Output, loaded, targets, materials, journalPath, context.TimeProvider);
                return ExitCodes.Success;
            }

            using FileBatchJournal? opened = journalPath is null ? null : OpenJournal(journalPath);
            var leases = new Dictionary<BatchTargetFields, KmsClientLease>();
            var results = new MigrationResult?[loaded.Keys.Count];
            try
            {
                var clients = new Dictionary<BatchTargetFields, DescribedKeysClient>();
                foreach ((BatchTargetFields fields, BatchTarget target) in targets)
                {
                    leases[fields] = KmsClientFactory.Create(new KmsConnection(target.Options, defaults.Credential), new AdaptiveConcurrencyLimiter(concurrency, concurrency, context.TimeProvider));
                    clients[fields] = new DescribedKeysClient(leases[fields].Client);
                }

                var progress = new BatchProgress(context, loaded.Keys.Count);
                try
                {
                    var items = new List<MigrationItem>();
                    var indexOf = new List<int>();
                    for (int i = 0; i < loaded.Keys.Count; i++)
                    {
                        BatchManifestEntry entry = loaded.Keys[i];
                        BatchTarget target = targets[entry.Target];
                        DescribedKeysClient client = clients[entry.Target];
                        KeyMaterial? material = materials.Get(entry);
                        if (material is null)
                        {
                            // 32 bytes fit AES_256 and HMAC_256: the key's own spec decides. The migration is handed
                            // this answer instead of asking again (DescribedKeysClient).
                            try
                            {
                                KeyDetails details = await client.DescribeForSpecAsync(entry.KeyId!, cancellationToken).ConfigureAwait(false);
                                material = materials.Decide(entry, details.KeySpec ?? KeySpec.Aes256);
                            }
                            catch (Exception ex) when (ex is not OperationCanceledException)
                            {
                                results[i] = new MigrationResult { Index = i, Target = target.Label, KeyId = entry.KeyId, Outcome = MigrationOutcome.Failed, MaterialFingerprint = materials.Fingerprint(entry), Error = ex };
                                progress.Report(entry.Name, $"FAILED: {ErrorReporter.Reason(ex)}", failed: true);
                                continue;
                            }
                        }

                        indexOf.Add(i);
                        items.Add(new MigrationItem
                        {
                            Target = target.Label,
                            Client = client,
                            KeyId = entry.KeyId,
                            CreateKey = entry.Alias is null ? null : new CreateKeyRequest(entry.Alias) { KeySpec = material.KeySpec, KeyUsage = entry.Usage, KeyDescription = entry.Description, Origin = KeyOrigin.External },
                            Material = material,
                            // SM4 and SM2 material travels under SM2_ENCRYPT (Huawei's Chinese regions).
                            Options = new ImportKeyMaterialOptions { Expiry = entry.Expiry, WrappingAlgorithm = material.KeySpec.IsSm ? WrappingAlgorithm.Sm2Encrypt : WrappingAlgorithm.RsaesOaepSha256 },
                        });
                    }

                    var options = new MigrationOptions { MaxConcurrency = concurrency, Journal = opened, TimeProvider = context.TimeProvider };
                    await foreach (MigrationResult result in KeyMigration.RunAsync(items, options, cancellationToken).ConfigureAwait(false))
                    {
                        int index = indexOf[result.Index];
                        results[index] = result;
                        string name = result.KeyId ?? loaded.Keys[index].Name;
                        progress.Report(name, Status(result), failed: !result.Succeeded);
                    }
                }
                catch (OperationCanceledException ex) when (cancellationToken.IsCancellationRequested)
                {
                    // Ctrl+C: say how far the batch got and how to go on.
                    throw new OperationCanceledException(BatchSummary.Cancelled(results, journalPath is not null), ex, ex.CancellationToken);
                }
                finally
                {
                    progress.Finish();
                }

                BatchSummary.Write(context.Output, loaded, results, targets.Count > 1);
                int failed = results.Count(r => r is null || !r.Succeeded);
                context.Error.WriteLine(BatchSummary.Counts(results));
                return failed == 0 ? ExitCodes.Success : ExitCodes.ServiceFailure;
            }
            finally
            {
                foreach (KmsClientLease lease in leases.Values)
                {
                    await lease.DisposeAsync().ConfigureAwait(false);
                }
            }
        },
        ifCancelled: _ => "nothing was imported");
        return command;
    }

    private static string Status(MigrationResult result) => result.Outcome switch
    {
        MigrationOutcome.Imported => "ok",
        MigrationOutcome.AlreadyImported => $"already imported ({result.Confirmation})",
        MigrationOutcome.Skipped => "skipped (the journal records it imported)",
        _ => $"FAILED: {ErrorReporter.Reason(result.Error!)}",
    };

    private static FileBatchJournal OpenJournal(string path)
    {
        try
        {
            return FileBatchJournal.Open(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or InvalidDataException)
        {
            throw new CliUsageException($"--journal {path}: {ex.Message}", ex);
        }
    }
}
