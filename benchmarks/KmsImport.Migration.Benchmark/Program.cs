using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using KmsImport.Sdk;
using KmsImport.Sdk.Batches;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Testing;
using Microsoft.Extensions.DependencyInjection;

// A throughput run, not a BenchmarkDotNet micro-benchmark: one long migration through the emulator
// served on loopback in a child process (so that the emulator's growing key store is not counted
// in the client's memory), bound by the emulator's rate limit.
//
//   dotnet run -c Release --project benchmarks/KmsImport.Migration.Benchmark -- --keys 2000 --rate 50
//
// The client's memory is measured under pinned runtime settings, the same for every run whatever
// the machine (see PinnedRuntime): unless --runtime-defaults is given, the program starts itself again
// with them and reports that run.
return args.Length > 0 && args[0] == "serve" ? await Serve(args)
    : args.Contains("--runtime-defaults") || Environment.GetEnvironmentVariable(PinnedRuntime.Marker) is not null ? await Migrate(args)
    : await PinnedRuntime.RunAsync(args);

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
    int warmUp = int.Parse(Arg(args, "--warm-up", "1000"), CultureInfo.InvariantCulture);
    int sampleEvery = int.Parse(Arg(args, "--sample-every", "1000"), CultureInfo.InvariantCulture);

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
    long workingSetBefore = Environment.WorkingSet;
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

    // Both runs start from the same state: the garbage of creating the items collected and its memory
    // given back, so that what stays is what the caller keeps.
    GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
    long callerKeeps = GC.GetTotalMemory(forceFullCollection: true) - before;

    // What holding the caller's items costs the process (their objects, and the GC regions that hold them).
    long callerResident = Environment.WorkingSet - workingSetBefore;
    using var sampling = new CancellationTokenSource();
    long peakManaged = 0;
    long peakAfterWarmUp = 0;
    int importedSoFar = 0;
    Task sampler = Task.Run(async () =>
    {
        while (!sampling.IsCancellationRequested)
        {
            peakManaged = Math.Max(peakManaged, GC.GetTotalMemory(false));
            if (Volatile.Read(ref importedSoFar) >= warmUp)
            {
                peakAfterWarmUp = Math.Max(peakAfterWarmUp, Environment.WorkingSet);
            }

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
                Volatile.Write(ref importedSoFar, imported);
                if (imported % sampleEvery == 0)
                {
                    // Where the process's memory is, without disturbing it (no forced collection).
                    Console.WriteLine(Sample(imported));
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

    // The live heap after a full collection: flat when nothing is kept per key.
    long live = GC.GetTotalMemory(forceFullCollection: true);
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
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set after the first {warmUp} keys {peakAfterWarmUp / (1024.0 * 1024):F1} MiB (sampled every 100 ms); live heap at the end {live / (1024.0 * 1024):F1} MiB; GC: {(System.Runtime.GCSettings.IsServerGC ? "server" : "workstation")}, {System.Runtime.GCSettings.LatencyMode}"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):F1} MiB, peak managed heap {peakManaged / (1024.0 * 1024):F1} MiB, final limit {limiter.CurrentLimit}, journal {journalBytes / 1024} KiB"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"the caller's items (materials, requests) {callerKeeps / (1024.0 * 1024):F1} MiB; peak working set without them {(Process.GetCurrentProcess().PeakWorkingSet64 - callerKeeps) / (1024.0 * 1024):F1} MiB"));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"working set taken by creating the caller's items {callerResident / (1024.0 * 1024):F1} MiB; peak working set after warm-up beyond it {(peakAfterWarmUp - callerResident) / (1024.0 * 1024):F1} MiB"));
    return failed == 0 ? 0 : 1;
}

static string Sample(int imported)
{
    const double MiB = 1024.0 * 1024;
    GCMemoryInfo gc = GC.GetGCMemoryInfo();
    using Process self = Process.GetCurrentProcess();
    return string.Create(
        CultureInfo.InvariantCulture,
        $"  after {imported} keys: working set {self.WorkingSet64 / MiB:F1} MiB ({Status("RssAnon")} anon, {Status("RssFile")} file), private {self.PrivateMemorySize64 / MiB:F1} MiB, " +
        $"GC heap {gc.HeapSizeBytes / MiB:F1} MiB (committed {gc.TotalCommittedBytes / MiB:F1}, fragmented {gc.FragmentedBytes / MiB:F1}, gen0 after the last GC {gc.GenerationInfo[0].SizeAfterBytes / MiB:F1}), " +
        $"GCs {GC.CollectionCount(0)}/{GC.CollectionCount(1)}/{GC.CollectionCount(2)}, threads {self.Threads.Count} (pool {ThreadPool.ThreadCount}), " +
        $"JIT {System.Runtime.JitInfo.GetCompiledMethodCount()} methods {System.Runtime.JitInfo.GetCompiledILBytes() / 1024} KiB IL");
}

// A line of /proc/self/status (Linux), e.g. RssAnon: the resident anonymous memory (heaps, stacks, JIT code).
static string Status(string field)
{
    if (!File.Exists("/proc/self/status"))
    {
        return "n/a";
    }

    foreach (string line in File.ReadLines("/proc/self/status"))
    {
        if (line.StartsWith(field + ":", StringComparison.Ordinal))
        {
            return line[(field.Length + 1)..].Trim();
        }
    }

    return "n/a";
}

static string Arg(string[] args, string name, string fallback)
{
    int index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : fallback;
}

/// <summary>
/// Runs the client again with runtime settings that do not depend on the machine, so that its peak
/// working set measures what the process holds rather than how much garbage the runtime lets pile up.
/// Left alone, the GC sizes its gen0 budget from the L3 cache (260 MiB on the benchmark machine:
/// ~80 MiB of garbage between two gen0 collections, committed for the whole run), tiered compilation
/// keeps recompiling methods while the run goes on, and glibc may give each new thread-pool thread its
/// own malloc arena (the native allocations of OpenSSL's HMAC and RSA-OAEP), whose high-water marks stay
/// resident as the pool's threads come and go. The measured figures are in benchmarks/README.md.
/// </summary>
internal static class PinnedRuntime
{
    /// <summary>Set in the client's environment when it runs with the pinned settings.</summary>
    public const string Marker = "KMS_MIGRATION_BENCH_PINNED";

    /// <summary>The settings (numbers in hex, as the runtime reads them); the emulator child inherits them.</summary>
    public static readonly IReadOnlyDictionary<string, string> Settings = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        // Workstation GC, non-concurrent (no background GC thread and its own allocations).
        ["DOTNET_gcServer"] = "0",
        ["DOTNET_gcConcurrent"] = "0",

        // A fixed gen0 budget of 16 MiB (smallest and largest alike), instead of one sized from the L3 cache.
        ["DOTNET_GCgen0size"] = "1000000",
        ["DOTNET_GCgen0MaxBudget"] = "1000000",

        // Code compiled once, fully optimised, when first called, rather than re-compiled (tier 1,
        // PGO) while the run goes on: the code heap then does not grow with the run's length.
        ["DOTNET_TieredCompilation"] = "0",

        // Two malloc arenas for the process's native allocations, instead of up to eight per core.
        ["MALLOC_ARENA_MAX"] = "2",
    };

    public static async Task<int> RunAsync(string[] args)
    {
        var start = new ProcessStartInfo(Environment.ProcessPath!) { UseShellExecute = false };
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach ((string name, string value) in Settings)
        {
            start.Environment[name] = value;
        }

        start.Environment[Marker] = "1";
        Console.WriteLine($"client runtime settings: {string.Join(' ', Settings.Select(s => $"{s.Key}={s.Value}"))}");
        using Process client = Process.Start(start)!;
        await client.WaitForExitAsync();
        return client.ExitCode;
    }
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
