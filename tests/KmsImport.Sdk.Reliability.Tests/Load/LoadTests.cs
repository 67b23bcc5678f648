using System.Diagnostics;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;
using KmsImport.Sdk.Testing;

namespace KmsImport.Sdk.Reliability.Tests.Load;

/// <summary>
/// Many imports through one client over real sockets with transient faults: every key Enabled
/// exactly once with its own material, no leaked sockets or file descriptors, throughput reported
/// (no timing assertion); and a cancelled batch stops promptly without a half-imported key.
/// </summary>
[NonParallelizable]
public sealed class LoadTests : ReliabilityTest
{
    private const int Concurrency = 32;
    // Generous: the emulator makes an RSA-2048 wrapping key per get-parameters, and 32 of them at once
    // on 2 cores take seconds; a slow fault waits one second longer than this.
    private static readonly TimeSpan s_attemptTimeout = TimeSpan.FromSeconds(8);

    // What is under test is exactly-once under faults, not RSA key generation: wrapping keys come from a
    // pool made at start, so a loaded 2-core machine does not turn keygen into attempt timeouts.
    private static LocalKmsServerOptions PooledWrappingKeys() => new() { Kms = new LocalKmsOptions { WrappingKeyPoolSize = 4 } };

    [Test]
    [CancelAfter(ReliabilitySettings.LongTestTimeoutMilliseconds)]
    public async Task Mixed_Imports_At_Concurrency_32_With_5_Percent_Faults_Import_Every_Key_Exactly_Once()
    {
        Assume.That(HandleCounter.IsSupported, "counts handles through /proc (Linux)");
        int total = ReliabilitySettings.LoadImports;
        await using ServedKms served = await ServedKms.StartAsync(PooledWrappingKeys());
        List<(string KeyId, KeyMaterial Material)> keys = await CreateKeysAsync(served, total);
        try
        {
            int fdsBefore = HandleCounter.CountOpenFileDescriptors();
            IReadOnlyDictionary<string, int> fdKindsBefore = HandleCounter.DescribeOpenFileDescriptors();
            int connectionsBefore = HandleCounter.CountTcpConnections(served.Port);
            int peakConnections = 0;

            ServedKms.ClientHost host = served.CreateClient(ServedKms.FastRetry(s_attemptTimeout));
            var results = new List<BatchImportResult>();
            var stopwatch = Stopwatch.StartNew();
            int faults;
            IReadOnlyDictionary<string, int> faultsByKind;
            int requests;
            await using (var pacer = new FaultPacer(served.Server, ReliabilitySettings.FuzzSeed, latency: s_attemptTimeout + TimeSpan.FromSeconds(1)))
            {
                // A bound, not a performance target: generous for a busy 2-core machine.
                using var limit = new CancellationTokenSource(TimeSpan.FromSeconds(ReliabilitySettings.IsLong ? 1200 : 300));
                await foreach (BatchImportResult result in host.Client.ImportBatchAsync(
                    keys.Select(k => new BatchImportItem(k.KeyId, k.Material)), new BatchImportOptions { MaxConcurrency = Concurrency }, limit.Token))
                {
                    results.Add(result);
                    SecretAudit.Texts.AddObject(result);
                    if (results.Count % 10 == 0)
                    {
                        peakConnections = Math.Max(peakConnections, HandleCounter.CountTcpConnections(served.Port));
                    }
                }

                stopwatch.Stop();
                faults = pacer.Triggered;
                faultsByKind = pacer.TriggeredByKind;
                requests = pacer.TotalRequests;
            }

            await host.DisposeAsync();
            // Disposing the container does not close HttpClientFactory's pooled idle connections (they
            // go when the handler expires); allow at most one per lane at each end (client and server
            // share this process), and require every other new descriptor to be gone: a per-request
            // leak would show hundreds.
            int allowedConnections = 2 * Concurrency;
            bool connectionsReleased = await HandleCounter.EventuallyAsync(() => HandleCounter.CountTcpConnections(served.Port) <= connectionsBefore + allowedConnections, TimeSpan.FromSeconds(15));
            int connectionsAfter = HandleCounter.CountTcpConnections(served.Port);
            bool fdsReleased = await HandleCounter.EventuallyAsync(
                () => HandleCounter.CountOpenFileDescriptors() - fdsBefore <= Math.Max(0, HandleCounter.CountTcpConnections(served.Port) - connectionsBefore) + 8, TimeSpan.FromSeconds(15));
            int fdsAfter = HandleCounter.CountOpenFileDescriptors();
            string fdGrowth = HandleCounter.DescribeGrowth(fdKindsBefore, HandleCounter.DescribeOpenFileDescriptors());

            int imported = keys.Count(k => served.Kms.GetImportCount(k.KeyId) == 1);
            int duplicated = keys.Count(k => served.Kms.GetImportCount(k.KeyId) > 1);
            int lost = keys.Count(k => served.Kms.GetImportCount(k.KeyId) == 0);
            int wrongMaterial = keys.Count(k => served.Kms.GetImportedMaterialFingerprint(k.KeyId) is { } f && f != k.Material.ComputeFingerprint());
            int notEnabled = 0;
            foreach ((string keyId, _) in keys)
            {
                notEnabled += (await served.Kms.DescribeKeyAsync(new DescribeKeyRequest(keyId))).KeyState == KeyState.Enabled ? 0 : 1;
            }

            double throughput = total / stopwatch.Elapsed.TotalSeconds;
            Figures.Record("load: imports", $"{total} ({keys.Count(k => k.Material.IsPrivateKey)} RSA-2048, {keys.Count(k => !k.Material.IsPrivateKey)} AES-256) at concurrency {Concurrency}, {requests} requests");
            Figures.Record("load: faults injected and survived", $"{faults} ({string.Join(", ", faultsByKind.OrderBy(k => k.Key).Select(k => $"{k.Key}: {k.Value}"))})");
            int reportedFailed = results.Count(r => !r.Succeeded);
            int reportedOk = results.Count(r => r.Succeeded);
            int successNotImported = results.Count(r => r.Succeeded && served.Kms.GetImportCount(r.KeyId) != 1);
            // An error that says the outcome is unknown (IsOutcomeUnknown) is not a failure report;
            // it is counted apart. Any other error for a key that was imported is a lost success.
            static bool IsUnknownOutcome(Exception? error) => error is KmsRequestFailedException { IsOutcomeUnknown: true };
            int unknownOutcome = results.Count(r => !r.Succeeded && IsUnknownOutcome(r.Error));
            int failureButImported = results.Count(r => !r.Succeeded && !IsUnknownOutcome(r.Error) && served.Kms.GetImportCount(r.KeyId) != 0);
            Figures.Record("load: imported exactly once / not imported / duplicated / wrong material", $"{imported} / {lost} / {duplicated} / {wrongMaterial}");
            Figures.Record("load: reported imported / reported failed / success without import (lost) / failure that had imported", $"{reportedOk} / {reportedFailed} / {successNotImported} / {failureButImported}");
            Figures.Record("load: reported outcome unknown (of which imported)", $"{unknownOutcome} ({results.Count(r => !r.Succeeded && IsUnknownOutcome(r.Error) && served.Kms.GetImportCount(r.KeyId) != 0)})");
            Figures.Record("load: throughput", $"{throughput:F1} imports/s ({stopwatch.Elapsed.TotalSeconds:F1} s)");
            Figures.Record("load: file descriptors before / after", $"{fdsBefore} / {fdsAfter} ({fdGrowth})");
            Figures.Record("load: TCP connections to the server before / peak / after dispose", $"{connectionsBefore} / {peakConnections} / {connectionsAfter}");

            Assert.Multiple(() =>
            {
                Assert.That(results, Has.Count.EqualTo(total), "one result per key");
                Assert.That(results.Where(r => !r.Succeeded).Select(r => $"{r.KeyId}: {r.Error!.Message}"), Is.Empty, "every import succeeded");
                Assert.That(imported, Is.EqualTo(total), "every key imported exactly once");
                Assert.That(duplicated, Is.Zero, "no key imported twice");
                Assert.That(successNotImported, Is.Zero, "no success reported for a key not imported");
                Assert.That(failureButImported, Is.Zero, "no failure reported for a key that was imported");
                Assert.That(wrongMaterial, Is.Zero, "every key holds its own material");
                Assert.That(notEnabled, Is.Zero, "every key Enabled");
                Assert.That(results.Where(r => r.Succeeded).All(r => r.Result!.MaterialFingerprint == keys.First(k => k.KeyId == r.KeyId).Material.ComputeFingerprint()), Is.True, "reported fingerprints match");
                Assert.That(faults, Is.GreaterThan(0), "faults were injected");
                Assert.That(connectionsReleased, Is.True, $"TCP connections to the server at most {connectionsBefore} + {allowedConnections} pooled after disposing the container (now {connectionsAfter})");
                Assert.That(fdsReleased, Is.True, $"file descriptors back to {fdsBefore} plus the pooled connections (+8) after disposing the container (now {fdsAfter}, {connectionsAfter} connections; grown: {fdGrowth})");
            });
        }
        finally
        {
            keys.ForEach(k => k.Material.Dispose());
        }
    }

    [Test]
    [CancelAfter(ReliabilitySettings.LongTestTimeoutMilliseconds)]
    public async Task Cancelling_A_Batch_Midway_Stops_Promptly_And_Leaves_No_Key_Half_Imported()
    {
        int total = 48;
        await using ServedKms served = await ServedKms.StartAsync(PooledWrappingKeys());
        List<(string KeyId, KeyMaterial Material)> keys = await CreateKeysAsync(served, total);
        try
        {
            await using ServedKms.ClientHost host = served.CreateClient(ServedKms.FastRetry(s_attemptTimeout));
            // Some imports are slow (after processing) so that cancellation finds work in flight.
            served.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Latency) { Operation = "import-key-material", Count = 6, Latency = TimeSpan.FromSeconds(3), Timing = LocalKmsFaultTiming.AfterProcessing });
            using var cancellation = new CancellationTokenSource();
            int completed = 0;
            int failed = 0;
            string? firstError = null;
            var stopwatch = new Stopwatch();
            Exception? ended = null;
            try
            {
                await foreach (BatchImportResult result in host.Client.ImportBatchAsync(
                    keys.Select(k => new BatchImportItem(k.KeyId, k.Material)), new BatchImportOptions { MaxConcurrency = 8 }, cancellation.Token).WithCancellation(cancellation.Token))
                {
                    SecretAudit.Texts.AddObject(result);
                    if (!result.Succeeded && !cancellation.IsCancellationRequested)
                    {
                        failed++;
                        firstError ??= result.Error!.Message;
                    }

                    if (++completed == 12)
                    {
                        stopwatch.Start();
                        await cancellation.CancelAsync();
                    }
                }
            }
            catch (OperationCanceledException ex)
            {
                ended = ex;
            }

            stopwatch.Stop();
            TimeSpan stoppedAfter = stopwatch.Elapsed;

            // Let requests already on the wire finish on the server before judging the keys.
            await QuiesceAsync(served);
            int enabled = 0;
            int pending = 0;
            var halfDone = new List<string>();
            foreach ((string keyId, KeyMaterial material) in keys)
            {
                KeyDetails details = await served.Kms.DescribeKeyAsync(new DescribeKeyRequest(keyId));
                int count = served.Kms.GetImportCount(keyId);
                if (details.KeyState == KeyState.Enabled && count == 1 && served.Kms.GetImportedMaterialFingerprint(keyId) == material.ComputeFingerprint())
                {
                    enabled++;
                }
                else if (details.KeyState == KeyState.PendingImport && count == 0)
                {
                    pending++;
                }
                else
                {
                    halfDone.Add($"{keyId}: state {details.KeyState}, {count} imports");
                }
            }

            Figures.Record("cancelled batch", $"{total} keys, cancelled after {completed} results ({failed} failed{(firstError is null ? string.Empty : ", first: " + firstError)}); stopped {stoppedAfter.TotalMilliseconds:F0} ms after the cancel; {enabled} imported once, {pending} left pending import, {halfDone.Count} otherwise");
            Assert.Multiple(() =>
            {
                Assert.That(ended, Is.InstanceOf<OperationCanceledException>(), "the batch ends with OperationCanceledException");
                Assert.That(completed, Is.LessThan(total), "cancelled midway");
                Assert.That(failed, Is.Zero, $"imports finished before the cancel succeeded: {firstError}");
                Assert.That(stoppedAfter, Is.LessThan(TimeSpan.FromSeconds(10)), "stops promptly: in-flight calls observe the token");
                Assert.That(halfDone, Is.Empty, "each key is Enabled with its material once, or pending import with none");
                Assert.That(pending, Is.GreaterThan(0), "keys not yet started stay pending import");
            });
        }
        finally
        {
            keys.ForEach(k => k.Material.Dispose());
        }
    }

    private static async Task QuiesceAsync(ServedKms served)
    {
        string[] operations = ["get-parameters-for-import", "import-key-material", "describe-key"];
        int last = -1;
        for (int i = 0; i < 50; i++)
        {
            int now = operations.Sum(served.Server.GetRequestCount);
            if (now == last)
            {
                break;
            }

            last = now;
            await Task.Delay(TimeSpan.FromSeconds(1));
        }

        // A slow answer after processing holds its request for its latency; the import itself is done.
        await Task.Delay(TimeSpan.FromSeconds(1));
    }

    // Keys are created in process (fast); every third is RSA-2048 with material from the pool.
    private static async Task<List<(string KeyId, KeyMaterial Material)>> CreateKeysAsync(ServedKms served, int total)
    {
        var keys = new List<(string, KeyMaterial)>(total);
        for (int i = 0; i < total; i++)
        {
            bool rsa = i % 3 == 2;
            CreateKeyResult created = await served.Kms.CreateKeyAsync(new CreateKeyRequest($"load-{i}") { KeySpec = rsa ? KeySpec.Rsa2048 : KeySpec.Aes256 });
            keys.Add((created.KeyId, rsa ? KeyMaterial.FromPrivateKey(TestKeys.Rsa2048Pkcs8(i)) : KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256)));
        }

        return keys;
    }
}
