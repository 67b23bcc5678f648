using System.Runtime.CompilerServices;
using System.Threading.Channels;
using KmsImport.Sdk.Cryptography;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk;

/// <summary>
/// A batch of imports through one client: the items read once and checked for duplicate key ids,
/// at most <see cref="BatchImportOptions.MaxConcurrency"/> imports at once, each key's outcome yielded
/// as it comes, cancellation that starts nothing more and reports what was under way.
/// </summary>
/// <param name="import">The client's import of one key (its public, overridable method).</param>
/// <param name="logger">The client's logger.</param>
internal sealed class BatchImporter(
    Func<string, KeyMaterial, ImportKeyMaterialOptions?, CancellationToken, Task<KeyImportResult>> import,
    ILogger logger)
{
    public async IAsyncEnumerable<BatchImportResult> ImportAsync(IEnumerable<BatchImportItem> items, BatchImportOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Channel<BatchImportResult> results = Channel.CreateUnbounded<BatchImportResult>(new UnboundedChannelOptions { SingleReader = true });
        using var batchCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task producer = RunBatchAsync(items, options, results.Writer, batchCancellation.Token);
        bool drained = false;
        try
        {
            // The producer completes the channel once every started import has reported.
            await foreach (BatchImportResult result in results.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return result;
            }

            drained = true;
        }
        finally
        {
            if (!drained)
            {
                // The consumer left early: start nothing more, cancel what runs, and wait for it so
                // no import outlives the enumeration.
                await batchCancellation.CancelAsync().ConfigureAwait(false);
                await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        // Surfaces a failure of the items sequence itself, then the caller's cancellation.
        await producer.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task RunBatchAsync(IEnumerable<BatchImportItem> items, BatchImportOptions options, ChannelWriter<BatchImportResult> writer, CancellationToken cancellationToken)
    {
        int? total = items.TryGetNonEnumeratedCount(out int count) ? count : null;
        List<BatchImportItem?> list;
        try
        {
            // A key id named twice is refused before anything is sent: the items are read once, here.
            list = [.. items];
            CheckNoDuplicateKeyIds(list);
        }
        catch
        {
            writer.TryComplete();
            throw;
        }

        var tracker = new BatchProgressTracker(options.Progress, total);
        using var slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        var running = new List<Task>();
        try
        {
            foreach (BatchImportItem? item in list)
            {
                try
                {
                    await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Stop starting imports; those under way report and the caller sees the cancellation.
                    break;
                }

                // A slot freed by a cancelled import must not start another one.
                if (cancellationToken.IsCancellationRequested)
                {
                    slots.Release();
                    break;
                }

                if (item is null)
                {
                    slots.Release();
                    Report(KmsImportModelFactory.BatchImportResult(string.Empty, null, new ArgumentNullException(nameof(items), "The batch contains a null item.")));
                    continue;
                }

                // Task.Run: the loop goes on starting imports while this one wraps (CPU) or waits.
                running.Add(Task.Run(() => ImportBatchItemAsync(item, slots, Report, cancellationToken), CancellationToken.None));
                running.RemoveAll(static task => task.IsCompleted);
            }
        }
        finally
        {
            // The item tasks never throw; wait for every started import before closing the channel.
            await Task.WhenAll(running).ConfigureAwait(false);
            writer.TryComplete();
            (int succeeded, int failed) = tracker.Counts;
            ClientLog.BatchFinished(logger, succeeded, failed, cancellationToken.IsCancellationRequested);
        }

        void Report(BatchImportResult result)
        {
            if (!result.Succeeded)
            {
                ClientLog.BatchItemFailed(logger, result.KeyId, result.Error!.GetType().Name);
            }

            writer.TryWrite(result);
            tracker.Report(result);
        }
    }

    private async Task ImportBatchItemAsync(BatchImportItem item, SemaphoreSlim slots, Action<BatchImportResult> report, CancellationToken cancellationToken)
    {
        try
        {
            BatchImportResult result;
            try
            {
                KeyImportResult imported = await import(item.KeyId, item.Material, item.Options, cancellationToken).ConfigureAwait(false);
                result = KmsImportModelFactory.BatchImportResult(item.KeyId, imported, null);
            }
            catch (Exception ex)
            {
                // One key's failure (bad input, refusal, cancellation) is its result, not the batch's end.
                result = KmsImportModelFactory.BatchImportResult(item.KeyId ?? string.Empty, null, ex);
            }

            report(result);
        }
        finally
        {
            slots.Release();
        }
    }

    /// <exception cref="KeyImportValidationException">A key id appears more than once.</exception>
    private static void CheckNoDuplicateKeyIds(List<BatchImportItem?> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = new SortedSet<string>(StringComparer.Ordinal);
        foreach (BatchImportItem? item in items)
        {
            if (item?.KeyId is { } keyId && !seen.Add(keyId))
            {
                duplicates.Add(keyId);
            }
        }

        if (duplicates.Count > 0)
        {
            throw new KeyImportValidationException(
                $"The batch names {(duplicates.Count == 1 ? "key" : "keys")} {string.Join(", ", duplicates)} more than once; nothing was sent. Give each key id once (one material per key).");
        }
    }
}
