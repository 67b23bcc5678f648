using System.Diagnostics;
using System.Security.Cryptography;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;
using KmsImport.Sdk.Testing;

namespace KmsImport.Sdk.Reliability.Tests.Batches;

/// <summary>
/// The real <c>kms-import import-batch</c> process, killed with SIGKILL at several points of a
/// migration over two throttled emulators (pre-created keys, keys created by alias, one material at
/// both), then run again with the same journal: exit 0, every key Enabled, one key per alias.
/// </summary>
public sealed class ImportBatchKillTests : ReliabilityTest
{
    private const string AccessKey = "KILLTESTACCESSKEY001";
    private const string SecretKey = "kill-test-secret-key-0123456789abcdefghijk";

    [Test]
    public async Task A_Batch_Killed_At_Several_Points_And_Run_Again_With_Its_Journal_Ends_With_Every_Key_Imported_Once()
    {
        SecretAudit.Secrets.Add(SecretKey);
        var options = new Func<LocalKmsServerOptions>(() => new LocalKmsServerOptions
        {
            AccessKey = AccessKey,
            SecretKey = SecretKey,
            MaxRequestsPerSecond = 20,
            Kms = new LocalKmsOptions { WrappingKeyPoolSize = 4 },
        });
        await using LocalKmsServer east = await LocalKmsServer.StartAsync(options());
        await using LocalKmsServer west = await LocalKmsServer.StartAsync(options());
        string dir = Directory.CreateTempSubdirectory("kms-kill-").FullName;
        try
        {
            byte[] shared = RandomNumberGenerator.GetBytes(32);
            string sharedFingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(shared));
            File.WriteAllBytes(Path.Combine(dir, "shared.bin"), shared);
            using (var rsa = RSA.Create(2048))
            {
                File.WriteAllText(Path.Combine(dir, "rsa.pem"), rsa.ExportPkcs8PrivateKeyPem());
            }

            var entries = new List<string>();
            foreach (LocalKmsServer server in new[] { east, west })
            {
                string target = $"\"endpoint\": \"{server.BaseAddress.ToString().TrimEnd('/')}\", \"projectId\": \"{server.ProjectId}\"";
                for (int i = 0; i < 3; i++)
                {
                    string keyId = (await server.Kms.CreateKeyAsync(new CreateKeyRequest($"pre-{i}"))).KeyId;
                    File.WriteAllBytes(Path.Combine(dir, $"{keyId}.bin"), RandomNumberGenerator.GetBytes(32));
                    entries.Add($"{{ \"keyId\": \"{keyId}\", \"material\": \"{keyId}.bin\", \"spec\": \"AES_256\", {target} }}");
                }

                for (int i = 0; i < 6; i++)
                {
                    entries.Add($"{{ \"alias\": \"migrated-{i}\", \"spec\": \"AES_256\", \"material\": \"shared.bin\", {target} }}");
                }

                entries.Add($"{{ \"alias\": \"signing\", \"privateKey\": \"rsa.pem\", {target} }}");
            }

            string manifest = Path.Combine(dir, "keys.json");
            File.WriteAllText(manifest, $"{{ \"maxConcurrency\": 4, \"keys\": [ {string.Join(",\n", entries)} ] }}");
            string journal = Path.Combine(dir, "run.journal");
            string[] args = ["import-batch", "--manifest", manifest, "--journal", journal];

            int kills = 0;
            foreach (int lines in new[] { 3, 20, 45 })
            {
                if (await RunAndKillAsync(args, journal, lines))
                {
                    kills++;
                }
            }

            Assert.That(kills, Is.GreaterThanOrEqualTo(2), "the process was killed in the middle of the batch");
            CliProcess.Result final = await CliProcess.RunAsync(args, Environment(), limit: TimeSpan.FromMinutes(3));

            Assert.That(final.ExitCode, Is.Zero, final.StandardError);
            Assert.That(final.StandardError, Does.Contain(", 0 failed"));
            foreach (LocalKmsServer server in new[] { east, west })
            {
                var client = new KeyImportClient(server.Kms);
                List<KeyDetails> keys = [.. client.ListKeysAsync().ToBlockingEnumerable()];
                Assert.That(keys.Select(k => k.KeyState), Is.All.EqualTo(KeyState.Enabled), "every key Enabled");
                Assert.That(keys.GroupBy(k => k.KeyAlias).Where(g => g.Count() > 1).Select(g => g.Key), Is.Empty, "one key per alias");
                Assert.That(keys, Has.Count.EqualTo(10));
                Assert.That(keys.Where(k => k.KeyAlias!.StartsWith("migrated-", StringComparison.Ordinal)).Select(k => server.Kms.GetImportedMaterialFingerprint(k.KeyId)), Is.All.EqualTo(sharedFingerprint["sha256:".Length..]));
                Assert.That(keys.Select(k => server.Kms.GetImportCount(k.KeyId)), Is.All.EqualTo(1), "each key imported once");
            }

            string journalText = File.ReadAllText(journal);
            Assert.That(journalText, Does.Contain(sharedFingerprint));
            Assert.That(journalText, Does.Not.Contain(Convert.ToHexStringLower(shared)).And.Not.Contain(SecretKey));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    private static Dictionary<string, string?> Environment() => new() { ["HUAWEICLOUD_SDK_AK"] = AccessKey, ["HUAWEICLOUD_SDK_SK"] = SecretKey };

    // Starts the tool and kills it (SIGKILL) once the journal holds at least `lines` lines; false when it ended first.
    private static async Task<bool> RunAndKillAsync(string[] args, string journal, int lines)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(CliProcess.ToolPath);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (string name in new[] { "HUAWEICLOUD_SDK_SECURITY_TOKEN", "HUAWEICLOUD_SDK_PROJECT_ID", "HUAWEICLOUD_SDK_REGION" })
        {
            start.Environment.Remove(name);
        }

        foreach ((string name, string? value) in Environment())
        {
            start.Environment[name] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("dotnet did not start");
        process.StandardInput.Close();
        Task<string> stdout = process.StandardOutput.ReadToEndAsync();
        Task<string> stderr = process.StandardError.ReadToEndAsync();
        var deadline = Stopwatch.StartNew();
        while (!process.HasExited && deadline.Elapsed < TimeSpan.FromMinutes(2))
        {
            if (CountLines(journal) >= lines)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
                await Task.WhenAll(stdout, stderr);
                return true;
            }

            await Task.Delay(5);
        }

        await process.WaitForExitAsync();
        string error = await stderr;
        await stdout;
        Assert.That(process.ExitCode, Is.Zero, "a run that was not killed completes: " + error);
        return false;
    }

    // The running batch holds its journal exclusively (every .NET open fails meanwhile): read it as tail or wc would.
    private static int CountLines(string path)
    {
        if (!File.Exists(path))
        {
            return 0;
        }

        using var cat = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("cat", [path]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        string text = cat.StandardOutput.ReadToEnd();
        cat.WaitForExit();
        return text.Count(c => c == '\n');
    }
}
