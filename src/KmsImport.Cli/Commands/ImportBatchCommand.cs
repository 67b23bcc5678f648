using System.Collections.Concurrent;
using System.CommandLine;
using System.Security.Cryptography;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Cli.Commands;

/// <summary><c>kms-import import-batch</c>: many keys from a manifest, with bounded concurrency, progress and a summary.</summary>
internal static class ImportBatchCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var manifest = new Option<string>("--manifest") { Description = "The JSON manifest (see the README: keyId plus material or privateKey per key).", Required = true, HelpName = "FILE" };
        var maxConcurrency = new Option<int?>("--max-concurrency") { Description = "How many imports run at once (1-256). Default: the manifest's maxConcurrency, else 4.", HelpName = "N" };
        var connection = new ConnectionOptions();
        var command = new Command("import-batch", "Import many keys listed in a JSON manifest: progress on stderr, a summary table on stdout, exit code 1 when any key failed.")
        {
            manifest, maxConcurrency,
        };
        connection.AddTo(command);

        CommandRunner.SetAction(command, context, globals, async (parseResult, cancellationToken) =>
        {
            BatchManifest loaded = BatchManifest.Load(parseResult.GetRequiredValue(manifest), context);
            int concurrency = parseResult.GetValue(maxConcurrency) ?? loaded.MaxConcurrency ?? 4;
            if (concurrency is < 1 or > 256)
            {
                throw new CliUsageException($"--max-concurrency {concurrency}: use 1 to 256.");
            }

            KmsConnection options = connection.Build(parseResult, context);
            var materials = new ConcurrentDictionary<string, KeyMaterial>(StringComparer.Ordinal);
            var undecided = new Dictionary<string, byte[]>(StringComparer.Ordinal);
            try
            {
                // Every file is read and checked before anything is sent.
                foreach (BatchManifestEntry entry in loaded.Keys)
                {
                    if (entry.PrivateKeyPath is { } privateKey)
                    {
                        materials[entry.KeyId] = KeyMaterialFiles.LoadPrivateKey(privateKey, entry.PasswordPath, context);
                    }
                    else if (entry.Spec is not null || !IsAmbiguous(entry.MaterialPath!))
                    {
                        materials[entry.KeyId] = KeyMaterialFiles.LoadSymmetric(entry.MaterialPath!, entry.Spec, context);
                    }
                    else
                    {
                        undecided[entry.KeyId] = InputFiles.ReadBytes(entry.MaterialPath!, "--manifest material", context);
                    }
                }

                await using KmsClientLease lease = KmsClientFactory.Create(options);
                var results = new List<BatchImportResult>();
                int total = loaded.Keys.Count;

                // 32 bytes fit AES_256 and HMAC_256: the key's own spec decides.
                var preflightFailures = new ConcurrentDictionary<string, Exception>(StringComparer.Ordinal);
                await Parallel.ForEachAsync(undecided, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (pair, ct) =>
                {
                    try
                    {
                        KeyDetails details = await lease.Client.DescribeKeyAsync(pair.Key, ct).ConfigureAwait(false);
                        materials[pair.Key] = KeyMaterial.FromSymmetricKey(pair.Value, details.KeySpec ?? KeySpec.Aes256);
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        preflightFailures[pair.Key] = ex;
                    }
                }).ConfigureAwait(false);
                foreach (BatchManifestEntry entry in loaded.Keys)
                {
                    if (preflightFailures.TryGetValue(entry.KeyId, out Exception? error))
                    {
                        results.Add(KmsImportModelFactory.BatchImportResult(entry.KeyId, null, error));
                        context.Error.WriteLine($"[{results.Count}/{total}] {entry.KeyId} FAILED: {Reason(error)}");
                    }
                }

                var items = loaded.Keys
                    .Where(e => materials.ContainsKey(e.KeyId))
                    .Select(e => new BatchImportItem(e.KeyId, materials[e.KeyId])
                    {
                        // SM4 and SM2 material travels under SM2_ENCRYPT (Huawei's Chinese regions).
                        Options = new ImportKeyMaterialOptions { Expiry = e.Expiry, WrappingAlgorithm = materials[e.KeyId].KeySpec.IsSm ? WrappingAlgorithm.Sm2Encrypt : WrappingAlgorithm.RsaesOaepSha256 },
                    })
                    .ToList();
                await foreach (BatchImportResult result in lease.Client.ImportBatchAsync(items, new BatchImportOptions { MaxConcurrency = concurrency }, cancellationToken).ConfigureAwait(false))
                {
                    results.Add(result);
                    string status = result.Succeeded ? "ok" : $"FAILED: {Reason(result.Error!)}";
                    context.Error.WriteLine($"[{results.Count}/{total}] {result.KeyId} {status}");
                }

                WriteSummary(context.Output, loaded.Keys, results);
                int failed = results.Count(r => !r.Succeeded);
                context.Error.WriteLine($"{results.Count - failed} imported, {failed} failed");
                return failed == 0 ? ExitCodes.Success : ExitCodes.ServiceFailure;
            }
            finally
            {
                foreach (KeyMaterial material in materials.Values)
                {
                    material.Dispose();
                }

                foreach (byte[] bytes in undecided.Values)
                {
                    CryptographicOperations.ZeroMemory(bytes);
                }
            }
        });
        return command;
    }

    /// <summary>Whether raw material of this file's length fits more than one spec (32 bytes: AES_256 or HMAC_256).</summary>
    private static bool IsAmbiguous(string path) => File.Exists(path) && new FileInfo(path).Length == 32;

    private static string Reason(Exception error) => ErrorReporter.Describe(error).Line.Replace("error: ", string.Empty, StringComparison.Ordinal);

    private static void WriteSummary(TextWriter output, IReadOnlyList<BatchManifestEntry> entries, List<BatchImportResult> results)
    {
        // In manifest order, so the table lines up with the file.
        var byKey = results.ToDictionary(r => r.KeyId, StringComparer.Ordinal);
        output.WriteLine($"{"KEY ID",-38}{"RESULT",-8}{"STATE",-15}{"EXPIRES",-22}FINGERPRINT / ERROR");
        foreach (BatchManifestEntry entry in entries)
        {
            if (!byKey.TryGetValue(entry.KeyId, out BatchImportResult? result))
            {
                output.WriteLine($"{entry.KeyId,-38}{"skipped",-8}{"-",-15}{"-",-22}not attempted (cancelled)");
            }
            else if (result.Result is { } ok)
            {
                output.WriteLine($"{entry.KeyId,-38}{"ok",-8}{ok.KeyState.DisplayName,-15}{OutputFormat.Expiry(ok.MaterialExpiresOn),-22}sha256:{ok.MaterialFingerprint} ({ok.Confirmation.Description})");
            }
            else
            {
                output.WriteLine($"{entry.KeyId,-38}{"failed",-8}{"-",-15}{"-",-22}{Reason(result.Error!)}");
            }
        }
    }
}
