using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Testing;

namespace KmsImport.Cli.Tests.Commands;

/// <summary>import-batch as a migration, in process, against two emulators served on loopback with the same credentials and different projects.</summary>
[TestFixture]
[CancelAfter(180_000)]
public sealed class ImportBatchCommandTests
{
    private const string AccessKey = "MIGRATIONTESTAK00001";
    private const string SecretKey = "migration-test-secret-key-0123456789abcdefgh";
    private LocalKmsServer _east = null!;
    private LocalKmsServer _west = null!;
    private TempDirectory _dir = null!;
    private Dictionary<string, string> _env = null!;

    [SetUp]
    public async Task SetUp()
    {
        _east = await LocalKmsServer.StartAsync(new LocalKmsServerOptions { AccessKey = AccessKey, SecretKey = SecretKey });
        _west = await LocalKmsServer.StartAsync(new LocalKmsServerOptions { AccessKey = AccessKey, SecretKey = SecretKey });
        _dir = new TempDirectory();
        _env = new Dictionary<string, string> { ["HUAWEICLOUD_SDK_AK"] = AccessKey, ["HUAWEICLOUD_SDK_SK"] = SecretKey };
    }

    [TearDown]
    public async Task TearDown()
    {
        await _east.DisposeAsync();
        await _west.DisposeAsync();
        _dir.Dispose();
    }

    [Test]
    public async Task One_Manifest_Spans_Two_Targets_With_Keys_By_Id_And_By_Alias_And_A_Rerun_With_The_Journal_Skips_Them_All()
    {
        string existing = (await _east.Kms.CreateKeyAsync(new CreateKeyRequest("pre-created"))).KeyId;
        byte[] shared = RandomNumberGenerator.GetBytes(32);
        File.WriteAllBytes(_dir.File("shared.bin"), shared);
        using (var rsa = RSA.Create(2048))
        {
            File.WriteAllText(_dir.File("rsa.pem"), rsa.ExportPkcs8PrivateKeyPem());
        }

        WriteManifest();
        string journal = _dir.File("run.journal");

        CliRun first = await RunAsync("import-batch", "--manifest", _dir.File("keys.json"), "--journal", journal);

        Assert.That(first.ExitCode, Is.Zero, first.ToString());
        Assert.That(first.Error, Does.Contain("4 imported, 0 already imported, 0 skipped, 0 failed"));
        string fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(shared));
        Assert.That(first.Output.Split('\n').Count(l => l.Contains(fingerprint, StringComparison.Ordinal)), Is.EqualTo(3), "one material, one fingerprint, three keys");
        Assert.That(first.Output, Does.Contain("alias payments").And.Contain("at " + _west.Endpoint()));
        Assert.That(_east.Kms.GetImportedMaterialFingerprint(existing), Is.EqualTo(fingerprint["sha256:".Length..]));
        Assert.That(await CountAliasAsync(_east, "payments"), Is.EqualTo(1));
        Assert.That(await CountAliasAsync(_west, "payments"), Is.EqualTo(1));
        string journalText = File.ReadAllText(journal);
        Assert.That(journalText, Does.Contain("\"event\":\"created\"").And.Contain("\"event\":\"imported\"").And.Contain(fingerprint));
        Assert.That(journalText, Does.Not.Contain(Convert.ToHexStringLower(shared)).And.Not.Contain(SecretKey));

        CliRun second = await RunAsync("import-batch", "--manifest", _dir.File("keys.json"), "--journal", journal);

        Assert.That(second.ExitCode, Is.Zero, second.ToString());
        Assert.That(second.Error, Does.Contain("0 imported, 0 already imported, 4 skipped, 0 failed"));
        Assert.That(_east.GetRequestCount("import-key-material") + _west.GetRequestCount("import-key-material"), Is.EqualTo(4));

        CliRun withoutJournal = await RunAsync("import-batch", "--manifest", _dir.File("keys.json"));

        Assert.That(withoutJournal.ExitCode, Is.Zero, withoutJournal.ToString());
        Assert.That(withoutJournal.Error, Does.Contain("0 imported, 4 already imported, 0 skipped, 0 failed"));
        Assert.That(withoutJournal.Output, Does.Contain("public key matches").And.Contain("unverified"));
        Assert.That(await CountAliasAsync(_west, "payments"), Is.EqualTo(1), "the alias was found, not created again");
    }

    [Test]
    public async Task Dry_Run_Checks_Every_File_And_Target_Prints_The_Plan_And_Sends_Nothing()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        string endpoint = $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        File.WriteAllBytes(_dir.File("shared.bin"), RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(_dir.File("keys.json"), $$"""
            { "keys": [
              { "alias": "payments", "spec": "AES_256", "material": "shared.bin", "endpoint": "{{endpoint}}", "projectId": "p1", "expires": "30d" },
              { "alias": "payments", "spec": "AES_256", "material": "shared.bin", "region": "eu-de", "cloud": "otc", "projectId": "p2", "expires": "2027-01-31T00:00:00Z" }
            ] }
            """);

        CliRun run = await RunAsync("import-batch", "--manifest", _dir.File("keys.json"), "--journal", _dir.File("plan.journal"), "--dry-run");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("plan: 2 keys, 2 targets").And.Contain("nothing sent"));
        Assert.That(run.Output, Does.Contain($"{endpoint} project p1: create alias payments (AES_256").And.Contain("otc:eu-de project p2: create alias payments"));
        Assert.That(run.Output, Does.Contain("expires 30.00:00:00 after its import (").And.Contain("if imported now)"), "a duration counts from each import");
        Assert.That(run.Output, Does.Contain("expires 2027-01-31T00:00:00Z"));
        Assert.That(listener.Pending(), Is.False, "nothing connected to the endpoint");
        Assert.That(File.Exists(_dir.File("plan.journal")), Is.False, "a dry run writes no journal");

        File.WriteAllText(_dir.File("bad.json"), $$"""{ "keys": [ { "alias": "a", "spec": "AES_256", "material": "missing.bin", "endpoint": "{{endpoint}}", "projectId": "p1" } ] }""");
        CliRun bad = await RunAsync("import-batch", "--manifest", _dir.File("bad.json"), "--dry-run");
        Assert.That(bad.ExitCode, Is.EqualTo(2), bad.ToString());
        Assert.That(bad.Error, Does.Contain("missing.bin"));
        Assert.That(listener.Pending(), Is.False);
    }

    [Test]
    public async Task An_Entry_Without_A_Target_Or_Project_Is_Refused_Before_Anything_Is_Sent()
    {
        File.WriteAllBytes(_dir.File("aes.bin"), RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(_dir.File("keys.json"), $$"""{ "keys": [ { "alias": "a", "spec": "AES_256", "material": "aes.bin", "endpoint": "{{_east.Endpoint()}}" } ] }""");

        CliRun noProject = await RunAsync("import-batch", "--manifest", _dir.File("keys.json"));
        Assert.That(noProject.ExitCode, Is.EqualTo(2), noProject.ToString());
        Assert.That(noProject.Error, Does.Contain("keys[0] (alias a) has no project id"));

        File.WriteAllText(_dir.File("keys.json"), """{ "keys": [ { "alias": "a", "spec": "AES_256", "material": "aes.bin", "projectId": "p" } ] }""");
        CliRun noTarget = await RunAsync("import-batch", "--manifest", _dir.File("keys.json"));
        Assert.That(noTarget.ExitCode, Is.EqualTo(2), noTarget.ToString());
        Assert.That(noTarget.Error, Does.Contain("has no target"));
        Assert.That(_east.GetRequestCount("create-key"), Is.Zero);
    }

    [Test]
    public async Task With_An_Iam_Token_An_Entry_Naming_Another_Target_Is_Refused_Before_Anything_Is_Sent()
    {
        File.WriteAllBytes(_dir.File("aes.bin"), RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(_dir.File("token.txt"), "project-scoped-iam-token-value\n");
        File.WriteAllText(_dir.File("keys.json"), $$"""
            { "keys": [
              { "alias": "here", "spec": "AES_256", "material": "aes.bin" },
              { "alias": "there", "spec": "AES_256", "material": "aes.bin", "endpoint": "{{_west.Endpoint()}}", "projectId": "{{_west.ProjectId}}" }
            ] }
            """);

        CliRun run = await CliHarness.RunAsync(["import-batch", "--manifest", _dir.File("keys.json"), "--endpoint", _east.Endpoint(), "--project-id", _east.ProjectId, "--auth-token-file", _dir.File("token.txt")], new Dictionary<string, string>());

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("keys[1] (alias there) names its own target").And.Contain("IAM token").And.Contain("Nothing was sent"));
        Assert.That(run.All, Does.Not.Contain("project-scoped-iam-token-value"));
        Assert.That(_east.GetRequestCount("create-key") + _east.GetRequestCount("describe-key") + _west.GetRequestCount("create-key") + _west.GetRequestCount("describe-key"), Is.Zero);
    }

    [Test]
    public async Task ImportBatch_Each_Key_Is_Described_Once_With_Or_Without_Spec()
    {
        int withSpec = await DescribesOfABatchAsync(withSpec: true);
        int withoutSpec = await DescribesOfABatchAsync(withSpec: false);

        // The describe-key that learns a key's spec (32 bytes fit AES_256 and HMAC_256) is the one the migration
        // uses to check the key, and the import's pre-flight checks the migration's answer.
        Assert.That(withSpec, Is.EqualTo(3));
        Assert.That(withoutSpec, Is.EqualTo(3));
    }

    [TestCase(false, TestName = "ImportBatch_Cancelled_Midway_Exits_130_With_One_Line_Of_What_Was_Done")]
    [TestCase(true, TestName = "ImportBatch_Sigint_To_The_Process_Midway_Exits_130_With_One_Line_Of_What_Was_Done")]
    public async Task ImportBatch_Cancelled_Midway_Exits_130_With_One_Line_Of_What_Was_Done(bool sigintToAProcess)
    {
        Assume.That(sigintToAProcess && OperatingSystem.IsWindows(), Is.False, "SIGINT");
        var keys = new List<string>();
        var entries = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            keys.Add((await _east.Kms.CreateKeyAsync(new CreateKeyRequest($"cancel-{i}"))).KeyId);
            byte[] bytes = RandomNumberGenerator.GetBytes(32);
            File.WriteAllBytes(_dir.File($"{i}.bin"), bytes);
            entries.Add($$"""{ "keyId": "{{keys[i]}}", "material": "{{i}}.bin", "spec": "AES_256", "endpoint": "{{_east.Endpoint()}}", "projectId": "{{_east.ProjectId}}" }""");
            if (i == 0)
            {
                // The first key holds its material already: the batch finds it Enabled.
                using KeyMaterial material = KeyMaterial.FromSymmetricKey(bytes, KeySpec.Aes256);
                await new KeyImportClient(_east.Kms).ImportKeyMaterialAsync(keys[0], material);
            }
        }

        File.WriteAllText(_dir.File("keys.json"), $"{{ \"maxConcurrency\": 1, \"keys\": [ {string.Join(", ", entries)} ] }}");
        string[] args = ["import-batch", "--manifest", _dir.File("keys.json"), "--journal", _dir.File("run.journal")];
        LocalKmsFault slow = _east.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Latency) { Operation = "import-key-material", Latency = TimeSpan.FromSeconds(60) });

        // Ctrl+C while the second key's import request is at the emulator.
        CliRun run = await CliHarness.RunAndCancelAsync(
            cancellationToken => sigintToAProcess ? CliHarness.RunProcessAsync(args, _env, cancellationToken: cancellationToken) : CliHarness.RunAsync(args, _env, cancellationToken: cancellationToken),
            () => slow.Triggered == 1);

        string[] lines = run.Error.TrimEnd().Split(Environment.NewLine);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Cancelled), run.ToString());
            Assert.That(lines[0], Does.StartWith($"[1/3] {keys[0]} already imported"), "the progress line of the key done");
            Assert.That(lines[1..], Is.EqualTo(new[] { "cancelled: 1 of 3 keys imported, 2 not done or not confirmed; run again with the same --journal to resume" }));
            Assert.That(run.Output, Is.Empty, "no summary table for a cancelled batch");
            Assert.That(_east.Kms.GetImportCount(keys[2]), Is.Zero, "the third key was not started");
        });
    }

    private async Task<int> DescribesOfABatchAsync(bool withSpec)
    {
        var entries = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            string keyId = (await _east.Kms.CreateKeyAsync(new CreateKeyRequest($"described-{withSpec}-{i}"))).KeyId;
            File.WriteAllBytes(_dir.File($"{keyId}.bin"), RandomNumberGenerator.GetBytes(32));
            string spec = withSpec ? "\"spec\": \"AES_256\", " : string.Empty;
            entries.Add($$"""{ "keyId": "{{keyId}}", "material": "{{keyId}}.bin", {{spec}}"endpoint": "{{_east.Endpoint()}}", "projectId": "{{_east.ProjectId}}" }""");
        }

        File.WriteAllText(_dir.File("described.json"), $"{{ \"keys\": [ {string.Join(", ", entries)} ] }}");
        int before = _east.GetRequestCount("describe-key");

        CliRun run = await RunAsync("import-batch", "--manifest", _dir.File("described.json"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Error, Does.Contain("3 imported, 0 already imported, 0 skipped, 0 failed"));
        return _east.GetRequestCount("describe-key") - before;
    }

    private static async Task<int> CountAliasAsync(LocalKmsServer server, string alias)
    {
        var client = new KeyImportClient(server.Kms);
        int count = 0;
        await foreach (KeyDetails key in client.ListKeysAsync())
        {
            count += key.KeyAlias == alias ? 1 : 0;
        }

        return count;
    }

    private void WriteManifest()
    {
        string existing = _east.Kms.KeyCount == 1 ? FirstKeyId(_east) : throw new InvalidOperationException("expected one pre-created key");
        File.WriteAllText(_dir.File("keys.json"), $$"""
            { "maxConcurrency": 3, "keys": [
              { "keyId": "{{existing}}", "material": "shared.bin", "spec": "AES_256", "endpoint": "{{_east.Endpoint()}}", "projectId": "{{_east.ProjectId}}" },
              { "alias": "payments", "spec": "AES_256", "description": "migrated", "material": "shared.bin", "endpoint": "{{_east.Endpoint()}}", "projectId": "{{_east.ProjectId}}" },
              { "alias": "payments", "spec": "AES_256", "material": "shared.bin", "endpoint": "{{_west.Endpoint()}}", "projectId": "{{_west.ProjectId}}" },
              { "alias": "signing", "privateKey": "rsa.pem", "usage": "SIGN_VERIFY", "endpoint": "{{_west.Endpoint()}}", "projectId": "{{_west.ProjectId}}" }
            ] }
            """);
    }

    private static string FirstKeyId(LocalKmsServer server)
    {
        var client = new KeyImportClient(server.Kms);
        return client.ListKeysAsync().ToBlockingEnumerable().First().KeyId;
    }

    private Task<CliRun> RunAsync(params string[] args) => CliHarness.RunAsync(args, _env);
}
