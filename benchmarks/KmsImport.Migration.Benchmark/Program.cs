using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using KmsImport.Sdk;
using KmsImport.Sdk.Batches;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Testing;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;

// A throughput run, not a BenchmarkDotNet micro-benchmark: one long migration through the emulator
// served on loopback in a child process (so that the emulator's growing key store is not counted
// in the client's memory), bound by the emulator's rate limit.
//
//   dotnet run -c Release --project benchmarks/KmsImport.Migration.Benchmark -- --keys 2000 --rate 50
return args.Length > 0 && args[0] == "serve" ? await Serve(args) : await Migrate(args);

static async Task<int> Serve(string[] args)
{
    double rate = double.Parse(Arg(args, "--rate", "50"), CultureInfo.InvariantCulture);
    await using LocalKmsServer server = await LocalKmsServer.StartAsync(new LocalKmsServerOptions
    {
        MaxRequestsPerSecond = rate,
        Kms = new LocalKmsOptions { WrappingKeyPoolSize = 16 },
    });
    Console.WriteLine($"READY {server.BaseAddress} {server.AccessKey} {server.SecretKey} {server.ProjectId}");
    Console.Out.Flush();
    await Console.In.ReadLineAsync();
    Console.WriteLine($"THROTTLED {server.ThrottledCount}");
    return 0;
}

static async Task<int> Migrate(string[] args)
{
    int keys = int.Parse(Arg(args, "--keys", "2000"), CultureInfo.InvariantCulture);
    double rate = double.Parse(Arg(args, "--rate", "50"), CultureInfo.InvariantCulture);
    int concurrency = int.Parse(Arg(args, "--concurrency", "32"), CultureInfo.InvariantCulture);

    using var emulator = Process.Start(new ProcessStartInfo(Environment.ProcessPath!, ["serve", "--rate", rate.ToString(CultureInfo.InvariantCulture)])
    {
        RedirectStandardOutput = true,
        RedirectStandardInput = true,
        UseShellExecute = false,
    })!;
    string[] ready = (await emulator.StandardOutput.ReadLineAsync())!.Split(' ');
    var limiter = new AdaptiveConcurrencyLimiter(concurrency, concurrency);
    var counter = new ResponseCounts();
    var services = new ServiceCollection();
    services.AddKeyImportClient(new AccessKeyCredential(ready[2], ready[3]), o =>
    {
        o.Endpoint = new Uri(ready[1]);
        o.ProjectId = ready[4];
        o.Retry.MaxRetryAttempts = 10;
    }).AddHttpMessageHandler(() => new AdaptiveConcurrencyHandler(limiter)).AddHttpMessageHandler(() => new CountingHandler(counter));
    await using ServiceProvider provider = services.BuildServiceProvider();
    IKeyImportClient client = provider.GetRequiredService<IKeyImportClient>();

    string journalPath = Path.Combine(Path.GetTempPath(), $"kms-migration-bench-{Guid.NewGuid():N}.jsonl");
    long before = GC.GetTotalMemory(forceFullCollection: true);
    var items = new List<MigrationItem>(keys);
    for (int i = 0; i < keys; i++)
    {
        items.Add(new MigrationItem
        {
            Target = ready[1],
            Client = client,
            CreateKey = new CreateKeyRequest($"bench-{i}"),
            Material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256),
        });
    }

    long callerKeeps = GC.GetTotalMemory(forceFullCollection: true) - before;
    using var sampling = new CancellationTokenSource();
    long peakManaged = 0;
    Task sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
            await Task.Delay(100);
        }
    });

    int imported = 0;
    int failed = 0;
    string? firstError = null;
    var watch = Stopwatch.StartNew();
    using (FileBatchJournal journal = FileBatchJournal.Open(journalPath))
    {
        await foreach (MigrationResult result in KeyMigration.RunAsync(items, new MigrationOptions { MaxConcurrency = concurrency, Journal = journal }))
        {
            if (result.Outcome == MigrationOutcome.Imported)
            {
                imported++;
                if (imported % 2000 == 0)
                {
                    // The live heap after a full collection: flat when nothing is kept per key.
                    long live = GC.GetTotalMemory(forceFullCollection: true);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  after {imported} keys: live heap {live / (1024.0 * 1024):F1} MiB, working set {Environment.WorkingSet / (1024.0 * 1024):F1} MiB, peak so far {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F1} MiB"));
                }
            }
            else
            {
                failed++;
                firstError ??= result.Error?.Message;
            }
        }
    }

    watch.Stop();
    await sampling.CancelAsync();
    await sampler;
    await emulator.StandardInput.WriteLineAsync();
    string? throttled = await emulator.StandardOutput.ReadLineAsync();
    await emulator.WaitForExitAsync();
    long journalBytes = new FileInfo(journalPath).Length;
    File.Delete(journalPath);
    foreach (MigrationItem item in items)
    {
        item.Material.Dispose();
    }

    double seconds = watch.Elapsed.TotalSeconds;
    double requestsPerKey = (double)counter.Answered / keys;
    double bound = rate / requestsPerKey;
    double throughput = imported / seconds;
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"keys {keys}, rate limit {rate}/s, concurrency {concurrency}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"imported {imported}, failed {failed}{(firstError is null ? string.Empty : $" (first: {firstError})")}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"elapsed {seconds:F1} s, {throughput:F2} keys/s; requests answered {counter.Answered} ({requestsPerKey:F2} per key), 429s {counter.Throttled} ({throttled})"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bound {bound:F2} keys/s (rate / requests per key); throughput {100 * throughput / bound:F1}% of the bound"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F1} MiB, peak managed heap {peakManaged / (1024.0 * 1024):F1} MiB, final limit {limiter.CurrentLimit}, journal {journalBytes / 1024} KiB"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the caller's items (materials, requests) {callerKeeps / (1024.0 * 1024):F1} MiB; peak working set without them {(Process.GetCurrentProcess().PeakWorkingSet64 - callerKeeps) / (1024.0 * 1024):F1} MiB"));
    return failed == 0 ? 0 : 1;
}

static string Arg(string[] args, string name, string fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

/// <summary>The answers other than 429 (the requests the rate limit let through) and the 429s.</summary>
internal sealed class ResponseCounts
{
    private int _answered;
    private int _throttled;

    public int Answered => Volatile.Read(ref _answered);

    public int Throttled => Volatile.Read(ref _throttled);

    public void Count(HttpResponseMessage response) =>
        Interlocked.Increment(ref response.StatusCode == System.Net.HttpStatusCode.TooManyRequests ? ref _throttled : ref _answered);
}

/// <summary>Counts each response; the HTTP client factory builds one per handler chain.</summary>
internal sealed class CountingHandler(ResponseCounts counts) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        HttpResponseMessage response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
        counts.Count(response);
        return response;
    }
}
