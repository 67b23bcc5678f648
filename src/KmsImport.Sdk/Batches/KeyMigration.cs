using System.Runtime.CompilerServices;
using System.Threading.Channels;

namespace KmsImport.Sdk.Batches;

/// <summary>
/// Migration-grade batches: many keys, at one or more targets (regions, clouds), existing keys or
/// keys created by alias, resumable through an <see cref="IBatchJournal"/>.
/// </summary>
/// <remarks>
/// <para>Each step is journalled before and after it is taken. Run again with the same journal after
/// an interruption at any point (<c>kill -9</c> included):</para>
/// <list type="bullet">
/// <item>a key the journal records imported is <see cref="MigrationOutcome.Skipped"/>: nothing is sent;</item>
/// <item>a key the journal records created is imported, never created again; a key whose create-key
/// started but whose answer was not recorded is looked up by its alias (list-keys) before anything is created;</item>
/// <item>a key found Enabled that the journal does not show imported is <see cref="MigrationOutcome.AlreadyImported"/>:
/// verified by its public key for asymmetric keys (another public key is a failure), marked unverified for symmetric ones.</item>
/// </list>
/// </remarks>
public static class KeyMigration
{
    /// <summary>The confirmation of a symmetric key found Enabled: KMS cannot show which material it holds.</summary>
    public const string UnverifiedSymmetric = "unverified: found Enabled; symmetric material cannot be compared";

    /// <summary>Runs a migration; yields one result per item as it completes.</summary>
    /// <param name="items">The keys; each names its target's client. The caller keeps ownership of the material.</param>
    /// <param name="options">Concurrency, journal and progress; defaults when null.</param>
    /// <param name="cancellationToken">Stops starting keys and cancels those under way; the enumeration then throws <see cref="OperationCanceledException"/>. The journal shows where each key stopped.</param>
    /// <returns>The per-key results, in completion order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> or an item is null.</exception>
    /// <exception cref="ArgumentException">An item names neither or both of a key id and a key to create, or two items name the same key at the same target; nothing was sent.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="MigrationOptions.MaxConcurrency"/> is not between 1 and 256.</exception>
    public static IAsyncEnumerable<MigrationResult> RunAsync(IReadOnlyList<MigrationItem> items, MigrationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        options ??= new MigrationOptions();
        if (options.MaxConcurrency is < 1 or > BatchImportOptions.MaxConcurrencyLimit)
        {
            throw new ArgumentOutOfRangeException(nameof(options), options.MaxConcurrency, $"MigrationOptions.MaxConcurrency must be between 1 and {BatchImportOptions.MaxConcurrencyLimit}.");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < items.Count; i++)
        {
            MigrationItem item = items[i] ?? throw new ArgumentNullException(nameof(items), $"items[{i}] is null.");
            if ((item.KeyId is null) == (item.CreateKey is null))
            {
                throw new ArgumentException($"items[{i}] must give exactly one of KeyId (an existing key) and CreateKey (a key to create by alias); nothing was sent.", nameof(items));
            }

            ArgumentNullException.ThrowIfNull(item.Client, $"items[{i}].Client");
            ArgumentNullException.ThrowIfNull(item.Material, $"items[{i}].Material");
            if (!seen.Add(JournalState.IdentityOf(item.Target, item.KeyId, item.CreateKey?.KeyAlias)!))
            {
                string what = item.KeyId is not null ? $"key {item.KeyId}" : $"alias '{item.CreateKey!.KeyAlias}'";
                throw new ArgumentException($"items[{i}] names {what} at {item.Target} again; a key takes material once. Nothing was sent.", nameof(items));
            }
        }

        return RunCoreAsync(items, options, cancellationToken);
    }

    private static async IAsyncEnumerable<MigrationResult> RunCoreAsync(IReadOnlyList<MigrationItem> items, MigrationOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var state = new JournalState(options.Journal?.Records ?? []);
        var runner = new MigrationStep(options.Journal, options.TimeProvider);
        var channel = Channel.CreateBounded<MigrationResult>(new BoundedChannelOptions(Math.Max(1, options.MaxConcurrency)) { SingleReader = true });
        int completed = 0;
        int failed = 0;
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        CancellationToken token = stop.Token;
        Task producer = Task.Run(
            async () =>
            {
                try
                {
                    await Parallel.ForEachAsync(
                        Enumerable.Range(0, items.Count),
                        new ParallelOptions { MaxDegreeOfParallelism = options.MaxConcurrency, CancellationToken = token },
                        async (index, ct) =>
                        {
                            MigrationItem item = items[index];
                            MigrationResult result = await runner.RunAsync(index, item, state, ct).ConfigureAwait(false);
                            await channel.Writer.WriteAsync(result, ct).ConfigureAwait(false);
                        }).ConfigureAwait(false);
                }
                finally
                {
                    channel.Writer.Complete();
                }
            },
            CancellationToken.None);

        try
        {
            await foreach (MigrationResult result in channel.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                completed++;
                if (!result.Succeeded)
                {
                    failed++;
                }

                options.Progress?.Report(new MigrationProgress { Completed = completed, Failed = failed, Total = items.Count, Last = result });
                yield return result;
            }
        }
        finally
        {
            // Leaving the enumeration early stops the keys under way.
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Stopped because the caller left the enumeration.
            }
        }
    }
}
