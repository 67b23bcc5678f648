using System.Collections.Concurrent;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Tests.TestSupport;
using Moq;
using static KmsImport.Sdk.Tests.TestSupport.ClientTestContext;

namespace KmsImport.Sdk.Tests.Client;

[CancelAfter(20_000)]
public class KeyImportClientBatchTests
{
    [Test]
    public async Task One_Failure_Does_Not_Stop_The_Others(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string ok1 = NewKeyId(), ok2 = NewKeyId(), enabled = NewKeyId(), refused = NewKeyId();
        ScriptPendingKeys(context);
        context.SetupDescribe(enabled, Details(enabled, KeyState.Enabled));
        context.Transport
            .Setup(t => t.ImportKeyMaterialAsync(It.IsAny<ImportKeyMaterialRequest>(), It.IsAny<CancellationToken>()))
            .Returns((ImportKeyMaterialRequest r, CancellationToken _) => r.KeyId == refused
                ? Task.FromException(Error(400, KmsErrorCodes.DecryptionFailed))
                : Task.CompletedTask);
        using KeyMaterial m1 = NewAes256(), m2 = NewAes256(), m3 = NewAes256(), m4 = NewAes256(), m5 = NewAes256();
        BatchImportItem[] items =
        [
            new(ok1, m1),
            new("NOT-A-KEY-ID", m2),
            new(enabled, m3),
            new(refused, m4),
            new(ok2, m5),
        ];

        List<BatchImportResult> results = await ToListAsync(context.Client.ImportBatchAsync(items, new BatchImportOptions { MaxConcurrency = 2 }, cancellationToken));

        Assert.That(results, Has.Count.EqualTo(5));
        Dictionary<string, List<BatchImportResult>> byKey = results.GroupBy(r => r.KeyId).ToDictionary(g => g.Key, g => g.ToList());
        Assert.Multiple(() =>
        {
            Assert.That(byKey[ok1].Single().Succeeded, Is.True);
            Assert.That(byKey[ok2].Single().Succeeded, Is.True);
            Assert.That(byKey[ok2].Single().Result!.MaterialFingerprint, Is.EqualTo(m5.ComputeFingerprint()));
            Assert.That(byKey["NOT-A-KEY-ID"].Single().Error, Is.InstanceOf<ArgumentException>());
            Assert.That(byKey[enabled].Single().Error, Is.InstanceOf<KeyImportValidationException>());
            Assert.That(byKey[refused].Single().Error, Is.InstanceOf<KmsRequestFailedException>().With.Property(nameof(KmsRequestFailedException.ErrorCode)).EqualTo(KmsErrorCodes.DecryptionFailed));
        });

        // Imports sent: ok1, refused, ok2 (the Enabled key and the bad id never reach import).
        context.Transport.Verify(t => t.ImportKeyMaterialAsync(It.IsAny<ImportKeyMaterialRequest>(), It.IsAny<CancellationToken>()), Times.Exactly(3));
    }

    [Test]
    public void A_Batch_That_Names_A_Key_Twice_Is_Refused_Before_Anything_Is_Sent(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string once = NewKeyId(), twice = NewKeyId();
        using KeyMaterial m1 = NewAes256(), m2 = NewAes256(), m3 = NewAes256();
        BatchImportItem[] items = [new(twice, m1), new(once, m2), new(twice, m3)];
        var yielded = new List<BatchImportResult>();

        Assert.That(
            async () =>
            {
                await foreach (BatchImportResult result in context.Client.ImportBatchAsync(items, cancellationToken: cancellationToken))
                {
                    yielded.Add(result);
                }
            },
            Throws.InstanceOf<KeyImportValidationException>().With.Message.Contains(twice).And.Message.Contains("nothing was sent"));

        // The strict mock throws on any call: nothing reached the transport.
        Assert.That(yielded, Is.Empty);
        Assert.That(context.Transport.Invocations, Is.Empty);
    }

    [Test]
    public async Task A_Null_Item_Is_A_Failed_Result(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        ScriptPendingKeys(context);
        context.Transport.Setup(t => t.ImportKeyMaterialAsync(It.IsAny<ImportKeyMaterialRequest>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        using KeyMaterial material = NewAes256();
        string keyId = NewKeyId();

        List<BatchImportResult> results = await ToListAsync(context.Client.ImportBatchAsync([null!, new(keyId, material)], cancellationToken: cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(results.Single(r => r.KeyId == keyId).Succeeded, Is.True);
            Assert.That(results.Single(r => r.KeyId.Length == 0).Error, Is.InstanceOf<ArgumentNullException>());
        });
    }

    [Test]
    public async Task Concurrency_Bound_Is_Observed(CancellationToken cancellationToken)
    {
        const int MaxConcurrency = 3;
        const int Count = 12;
        var context = new ClientTestContext();
        ScriptPendingKeys(context);
        int inFlight = 0, maxInFlight = 0, started = 0;
        var limitReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Transport
            .Setup(t => t.ImportKeyMaterialAsync(It.IsAny<ImportKeyMaterialRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (ImportKeyMaterialRequest _, CancellationToken ct) =>
            {
                Interlocked.Increment(ref started);
                int now = Interlocked.Increment(ref inFlight);
                InterlockedMax(ref maxInFlight, now);
                if (now == MaxConcurrency)
                {
                    limitReached.TrySetResult();
                }

                await release.Task.WaitAsync(ct);
                Interlocked.Decrement(ref inFlight);
            });
        List<KeyMaterial> materials = [.. Enumerable.Range(0, Count).Select(_ => NewAes256())];
        try
        {
            BatchImportItem[] items = [.. materials.Select(m => new BatchImportItem(NewKeyId(), m))];
            Task<List<BatchImportResult>> batch = ToListAsync(context.Client.ImportBatchAsync(items, new BatchImportOptions { MaxConcurrency = MaxConcurrency }, cancellationToken));

            await limitReached.Task.WaitAsync(cancellationToken);

            // Give a broken bound the chance to start more imports; a correct one starts none.
            await Task.Delay(100, cancellationToken);
            Assert.That(Volatile.Read(ref started), Is.EqualTo(MaxConcurrency));
            release.SetResult();

            List<BatchImportResult> results = await batch;
            Assert.Multiple(() =>
            {
                Assert.That(results, Has.Count.EqualTo(Count));
                Assert.That(results.All(r => r.Succeeded), Is.True);
                Assert.That(maxInFlight, Is.EqualTo(MaxConcurrency));
            });
        }
        finally
        {
            materials.ForEach(m => m.Dispose());
        }
    }

    [Test]
    public async Task Cancellation_Stops_New_Imports_And_Cancels_Those_Under_Way(CancellationToken cancellationToken)
    {
        const int MaxConcurrency = 2;
        var context = new ClientTestContext();
        ScriptPendingKeys(context);
        int inFlight = 0;
        var limitReached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Transport
            .Setup(t => t.ImportKeyMaterialAsync(It.IsAny<ImportKeyMaterialRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (ImportKeyMaterialRequest _, CancellationToken ct) =>
            {
                if (Interlocked.Increment(ref inFlight) == MaxConcurrency)
                {
                    limitReached.TrySetResult();
                }

                // A request that only ends when cancelled.
                await Task.Delay(Timeout.Infinite, ct);
            });
        List<KeyMaterial> materials = [.. Enumerable.Range(0, 10).Select(_ => NewAes256())];
        using var batchCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var yielded = new List<BatchImportResult>();
        try
        {
            BatchImportItem[] items = [.. materials.Select(m => new BatchImportItem(NewKeyId(), m))];
            Task consume = Task.Run(async () =>
            {
                await foreach (BatchImportResult result in context.Client.ImportBatchAsync(items, new BatchImportOptions { MaxConcurrency = MaxConcurrency }, batchCancellation.Token))
                {
                    yielded.Add(result);
                }
            }, CancellationToken.None);

            await limitReached.Task.WaitAsync(cancellationToken);
            await batchCancellation.CancelAsync();

            Assert.That(async () => await consume, Throws.InstanceOf<OperationCanceledException>());
            Assert.That(yielded, Has.Count.EqualTo(MaxConcurrency));
            Assert.That(yielded.Select(r => r.Error), Is.All.InstanceOf<OperationCanceledException>());
            context.Transport.Verify(t => t.ImportKeyMaterialAsync(It.IsAny<ImportKeyMaterialRequest>(), It.IsAny<CancellationToken>()), Times.Exactly(MaxConcurrency));
        }
        finally
        {
            materials.ForEach(m => m.Dispose());
        }
    }

    [Test]
    public async Task Leaving_The_Enumeration_Early_Cancels_The_Imports_Under_Way(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        ScriptPendingKeys(context);
        string fast = NewKeyId();
        var cancelledImports = new ConcurrentBag<string>();
        int slowImportsStarted = 0;
        var bothSlowImportsStarted = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Transport
            .Setup(t => t.ImportKeyMaterialAsync(It.IsAny<ImportKeyMaterialRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (ImportKeyMaterialRequest r, CancellationToken ct) =>
            {
                // The fast import finishes only once both slow ones are under way, so both are there to cancel.
                if (r.KeyId == fast)
                {
                    await bothSlowImportsStarted.Task.WaitAsync(ct);
                    return;
                }

                if (Interlocked.Increment(ref slowImportsStarted) == 2)
                {
                    bothSlowImportsStarted.TrySetResult();
                }

                try
                {
                    await Task.Delay(Timeout.Infinite, ct);
                }
                catch (OperationCanceledException)
                {
                    cancelledImports.Add(r.KeyId);
                    throw;
                }
            });
        using KeyMaterial m1 = NewAes256(), m2 = NewAes256(), m3 = NewAes256();
        string slow1 = NewKeyId(), slow2 = NewKeyId();

        BatchImportResult? first = null;
        await foreach (BatchImportResult result in context.Client.ImportBatchAsync([new(slow1, m1), new(slow2, m2), new(fast, m3)], new BatchImportOptions { MaxConcurrency = 3 }, cancellationToken))
        {
            first = result;
            break;
        }

        // Disposing the enumerator waited for the imports under way, which saw the cancellation.
        Assert.Multiple(() =>
        {
            Assert.That(first!.KeyId, Is.EqualTo(fast));
            Assert.That(cancelledImports, Is.EquivalentTo(new[] { slow1, slow2 }));
        });
    }

    [Test]
    public async Task Progress_Is_Reported_After_Each_Key(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        ScriptPendingKeys(context);
        string enabled = NewKeyId();
        context.SetupDescribe(enabled, Details(enabled, KeyState.Enabled));
        context.Transport.Setup(t => t.ImportKeyMaterialAsync(It.IsAny<ImportKeyMaterialRequest>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var progress = new RecordingProgress();
        using KeyMaterial m1 = NewAes256(), m2 = NewAes256(), m3 = NewAes256();
        BatchImportItem[] items = [new(NewKeyId(), m1), new(enabled, m2), new(NewKeyId(), m3)];

        await ToListAsync(context.Client.ImportBatchAsync(items, new BatchImportOptions { MaxConcurrency = 1, Progress = progress }, cancellationToken));

        Assert.That(progress.Reports, Has.Count.EqualTo(3));
        BatchImportProgress last = progress.Reports.MaxBy(p => p.Completed)!;
        Assert.Multiple(() =>
        {
            Assert.That(progress.Reports.Select(p => p.Completed), Is.EquivalentTo(new[] { 1, 2, 3 }));
            Assert.That((last.Completed, last.Succeeded, last.Failed, last.Total), Is.EqualTo((3, 2, 1, (int?)3)));
            Assert.That(progress.Reports.Select(p => p.LastKeyId), Is.EquivalentTo(items.Select(i => i.KeyId)));
        });
    }

    [Test]
    public async Task Progress_Total_Is_Null_For_A_Lazy_Sequence(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        ScriptPendingKeys(context);
        context.Transport.Setup(t => t.ImportKeyMaterialAsync(It.IsAny<ImportKeyMaterialRequest>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        var progress = new RecordingProgress();
        using KeyMaterial material = NewAes256();

        await ToListAsync(context.Client.ImportBatchAsync(Lazy(new BatchImportItem(NewKeyId(), material)), new BatchImportOptions { Progress = progress }, cancellationToken));

        Assert.That(progress.Reports.Single().Total, Is.Null);

        static IEnumerable<BatchImportItem> Lazy(BatchImportItem item)
        {
            yield return item;
        }
    }

    [Test]
    public void A_Failing_Item_Sequence_Surfaces_Before_Any_Import_Starts(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        ScriptPendingKeys(context);
        context.Transport.Setup(t => t.ImportKeyMaterialAsync(It.IsAny<ImportKeyMaterialRequest>(), It.IsAny<CancellationToken>())).Returns(Task.CompletedTask);
        using KeyMaterial material = NewAes256();
        string keyId = NewKeyId();
        var yielded = new List<BatchImportResult>();

        Assert.That(
            async () =>
            {
                await foreach (BatchImportResult result in context.Client.ImportBatchAsync(Failing(new BatchImportItem(keyId, material)), cancellationToken: cancellationToken))
                {
                    yielded.Add(result);
                }
            },
            Throws.InstanceOf<IOException>().With.Message.EqualTo("manifest unreadable"));

        // The items are read (and checked for duplicates) before the first import starts.
        Assert.That(yielded, Is.Empty);
        context.VerifyImportCount(keyId, 0);

        static IEnumerable<BatchImportItem> Failing(BatchImportItem item)
        {
            yield return item;
            throw new IOException("manifest unreadable");
        }
    }

    private static void ScriptPendingKeys(ClientTestContext context)
    {
        context.Transport
            .Setup(t => t.DescribeKeyAsync(It.IsAny<DescribeKeyRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DescribeKeyRequest r, CancellationToken _) => Details(r.KeyId, KeyState.PendingImport));
        context.Transport
            .Setup(t => t.GetParametersForImportAsync(It.IsAny<GetParametersForImportRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((GetParametersForImportRequest r, CancellationToken _) => Parameters(r.KeyId, WrappingKeyA, Token(r.KeyId), Start.AddHours(24)));
    }

    private static async Task<List<BatchImportResult>> ToListAsync(IAsyncEnumerable<BatchImportResult> results)
    {
        var list = new List<BatchImportResult>();
        await foreach (BatchImportResult result in results)
        {
            list.Add(result);
        }

        return list;
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }

    // Records synchronously (Progress<T> would post to the thread pool).
    private sealed class RecordingProgress : IProgress<BatchImportProgress>
    {
        private readonly ConcurrentQueue<BatchImportProgress> _reports = new();

        public List<BatchImportProgress> Reports => [.. _reports];

        public void Report(BatchImportProgress value) => _reports.Enqueue(value);
    }
}
