using System.Security.Cryptography;
using KmsImport.Sdk.Batches;
using KmsImport.Sdk.Cryptography;
using static KmsImport.Sdk.Testing.Tests.TestSupport.LocalKmsTestKit;

namespace KmsImport.Sdk.Testing.Tests.EndToEnd.Batches;

/// <summary>KeyMigration over real loopback HTTP to two emulators: keys by id and by alias, one material at both, resumed from its journal.</summary>
[CancelAfter(300_000)]
public class KeyMigrationEndToEndTests
{
    private ServedTarget _east = null!;
    private ServedTarget _west = null!;
    private string _dir = null!;

    [SetUp]
    public async Task SetUp()
    {
        _east = await ServedTarget.StartAsync();
        _west = await ServedTarget.StartAsync();
        _dir = Directory.CreateTempSubdirectory("kms-migration-").FullName;
    }

    [TearDown]
    public async Task TearDown()
    {
        await _east.DisposeAsync();
        await _west.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    [Test]
    public async Task A_Migration_Imports_Everywhere_Then_A_Rerun_With_The_Journal_Skips_Every_Key_And_Sends_No_Import()
    {
        byte[] raw = RandomNumberGenerator.GetBytes(32);
        using KeyMaterial shared = KeyMaterial.FromSymmetricKey(raw, KeySpec.Aes256);
        using var rsa = RSA.Create(2048);
        using KeyMaterial privateKey = KeyMaterial.FromRsa(rsa);
        string existing = (await _east.Client.CreateKeyAsync(new CreateKeyRequest(UniqueAlias("pre")))).KeyId;
        string alias = UniqueAlias("mig");
        List<MigrationItem> items =
        [
            new() { Target = _east.Label, Client = _east.Client, KeyId = existing, Material = shared },
            new() { Target = _west.Label, Client = _west.Client, CreateKey = new CreateKeyRequest(alias), Material = shared },
            new() { Target = _west.Label, Client = _west.Client, CreateKey = new CreateKeyRequest(alias + "-rsa") { KeySpec = KeySpec.Rsa2048 }, Material = privateKey },
        ];
        string path = Path.Combine(_dir, "journal.jsonl");

        List<MigrationResult> first;
        using (FileBatchJournal journal = FileBatchJournal.Open(path))
        {
            first = await RunAsync(items, journal);
        }

        Assert.That(first.Select(r => r.Outcome), Is.All.EqualTo(MigrationOutcome.Imported), string.Join("\n", first.Select(r => r.Error?.Message)));
        Assert.That(first.Where(r => r.Index < 2).Select(r => r.MaterialFingerprint).Distinct(), Is.EqualTo(new[] { shared.ComputeFingerprint() }), "one material, one fingerprint at both targets");
        Assert.That(_west.Server.Kms.GetImportedMaterialFingerprint(first.Single(r => r.Index == 1).KeyId!), Is.EqualTo(shared.ComputeFingerprint()));
        Assert.That(first.Single(r => r.Index == 2).Confirmation, Is.EqualTo("public key matches"));
        string text = File.ReadAllText(path);
        Assert.That(text, Does.Contain("\"event\":\"created\"").And.Contain("\"alias\":\"" + alias + "\"").And.Contain("sha256:" + shared.ComputeFingerprint()));
        Assert.That(text, Does.Not.Contain(Convert.ToHexStringLower(raw)).And.Not.Contain(Convert.ToBase64String(raw)), "no material in the journal");
        if (!OperatingSystem.IsWindows())
        {
            Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
        }

        int importsBefore = _east.Server.GetRequestCount("import-key-material") + _west.Server.GetRequestCount("import-key-material");
        List<MigrationResult> second;
        using (FileBatchJournal journal = FileBatchJournal.Open(path))
        {
            second = await RunAsync(items, journal);
        }

        Assert.That(second.Select(r => r.Outcome), Is.All.EqualTo(MigrationOutcome.Skipped));
        Assert.That(_east.Server.GetRequestCount("import-key-material") + _west.Server.GetRequestCount("import-key-material"), Is.EqualTo(importsBefore));
        Assert.That(await _west.KeysWithAliasAsync(alias), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task A_Migration_Asks_Describe_Key_Once_Per_Key_It_Imports()
    {
        List<MigrationItem> items = [];
        for (int i = 0; i < 3; i++)
        {
            string keyId = (await _east.Client.CreateKeyAsync(new CreateKeyRequest(UniqueAlias("once")))).KeyId;
            items.Add(new() { Target = _east.Label, Client = _east.Client, KeyId = keyId, Material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256) });
        }

        int describesBefore = _east.Server.GetRequestCount("describe-key");
        List<MigrationResult> results = await RunAsync(items, journal: null);
        foreach (MigrationItem item in items)
        {
            item.Material.Dispose();
        }

        Assert.That(results.Select(r => r.Outcome), Is.All.EqualTo(MigrationOutcome.Imported), string.Join("\n", results.Select(r => r.Error?.Message)));
        Assert.That(_east.Server.GetRequestCount("describe-key") - describesBefore, Is.EqualTo(items.Count), "the import's pre-flight checks the migration's answer");
        Assert.That(items.Select(i => _east.Server.Kms.GetImportCount(i.KeyId!)), Is.All.EqualTo(1));
    }

    [Test]
    public async Task Without_The_Journal_Keys_Found_Enabled_Are_Already_Imported_Verified_By_Public_Key_Or_Marked_Unverified()
    {
        using KeyMaterial aes = RandomSymmetric(KeySpec.Aes256);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using KeyMaterial privateKey = KeyMaterial.FromECDsa(ec);
        string alias = UniqueAlias("again");
        List<MigrationItem> items =
        [
            new() { Target = _east.Label, Client = _east.Client, CreateKey = new CreateKeyRequest(alias), Material = aes },
            new() { Target = _east.Label, Client = _east.Client, CreateKey = new CreateKeyRequest(alias + "-ec") { KeySpec = KeySpec.EcP256 }, Material = privateKey },
        ];
        await RunAsync(items, null);

        List<MigrationResult> again = await RunAsync(items, null);

        Assert.That(again.Select(r => r.Outcome), Is.All.EqualTo(MigrationOutcome.AlreadyImported));
        Assert.That(again.Single(r => r.Index == 0).Confirmation, Is.EqualTo(KeyMigration.UnverifiedSymmetric));
        Assert.That(again.Single(r => r.Index == 1).Confirmation, Is.EqualTo("public key matches"));
        Assert.That(await _east.KeysWithAliasAsync(alias), Has.Count.EqualTo(1), "the alias was found, not created twice");
    }

    [Test]
    public async Task An_Enabled_Asymmetric_Key_Holding_Another_Private_Key_Is_A_Failure()
    {
        using var ours = RSA.Create(2048);
        using var theirs = RSA.Create(2048);
        using KeyMaterial ourMaterial = KeyMaterial.FromRsa(ours);
        using KeyMaterial theirMaterial = KeyMaterial.FromRsa(theirs);
        KeyImportResult other = await _east.Client.CreateKeyAndImportAsync(new CreateKeyRequest(UniqueAlias("other")) { KeySpec = KeySpec.Rsa2048 }, theirMaterial);

        List<MigrationResult> results = await RunAsync([new() { Target = _east.Label, Client = _east.Client, KeyId = other.KeyId, Material = ourMaterial }], null);

        Assert.That(results[0].Outcome, Is.EqualTo(MigrationOutcome.Failed));
        Assert.That(results[0].Error, Is.InstanceOf<ImportedMaterialMismatchException>());
    }

    [Test]
    public async Task A_Key_Recorded_Created_But_Not_Imported_Is_Imported_And_Never_Created_Again()
    {
        using KeyMaterial aes = RandomSymmetric(KeySpec.Aes256);
        string alias = UniqueAlias("half");
        string keyId = (await _east.Client.CreateKeyAsync(new CreateKeyRequest(alias))).KeyId;
        string path = Path.Combine(_dir, "journal.jsonl");
        using (FileBatchJournal crashed = FileBatchJournal.Open(path))
        {
            await crashed.AppendAsync(new BatchJournalRecord { Time = DateTimeOffset.UtcNow, Event = BatchJournalEvent.CreateStarted, Target = _east.Label, Alias = alias, Spec = "AES_256" });
            await crashed.AppendAsync(new BatchJournalRecord { Time = DateTimeOffset.UtcNow, Event = BatchJournalEvent.Created, Target = _east.Label, Alias = alias, KeyId = keyId, Spec = "AES_256" });
        }

        using FileBatchJournal journal = FileBatchJournal.Open(path);
        int creates = _east.Server.GetRequestCount("create-key");

        List<MigrationResult> results = await RunAsync([new() { Target = _east.Label, Client = _east.Client, CreateKey = new CreateKeyRequest(alias), Material = aes }], journal);

        Assert.That(results[0].Outcome, Is.EqualTo(MigrationOutcome.Imported));
        Assert.That(results[0].KeyId, Is.EqualTo(keyId));
        Assert.That(_east.Server.GetRequestCount("create-key"), Is.EqualTo(creates), "not created again");
        Assert.That(_east.Server.GetRequestCount("list-keys"), Is.Zero, "the journal named the key: no look-up");
    }

    [Test]
    public async Task A_Create_Started_Without_An_Answer_Is_Found_By_Alias_Before_Anything_Is_Created()
    {
        using KeyMaterial aes = RandomSymmetric(KeySpec.Aes256);
        string alias = UniqueAlias("lost");
        string keyId = (await _east.Client.CreateKeyAsync(new CreateKeyRequest(alias))).KeyId;
        string path = Path.Combine(_dir, "journal.jsonl");
        using (FileBatchJournal crashed = FileBatchJournal.Open(path))
        {
            await crashed.AppendAsync(new BatchJournalRecord { Time = DateTimeOffset.UtcNow, Event = BatchJournalEvent.CreateStarted, Target = _east.Label, Alias = alias, Spec = "AES_256" });
        }

        int creates = _east.Server.GetRequestCount("create-key");
        List<MigrationResult> results;
        using (FileBatchJournal journal = FileBatchJournal.Open(path))
        {
            results = await RunAsync([new() { Target = _east.Label, Client = _east.Client, CreateKey = new CreateKeyRequest(alias), Material = aes }], journal);
        }

        Assert.That(results[0].Outcome, Is.EqualTo(MigrationOutcome.Imported));
        Assert.That(results[0].KeyId, Is.EqualTo(keyId));
        Assert.That(_east.Server.GetRequestCount("create-key"), Is.EqualTo(creates));
        using FileBatchJournal reread = FileBatchJournal.Open(path);
        Assert.That(reread.Records.Where(r => r.Event == BatchJournalEvent.Created).Select(r => r.KeyId), Is.EqualTo(new[] { keyId }));
    }

    [Test]
    public async Task An_Alias_Taken_By_A_Key_This_Migration_Did_Not_Create_Is_Not_Adopted()
    {
        using KeyMaterial theirs = RandomSymmetric(KeySpec.Aes256);
        using KeyMaterial ours = RandomSymmetric(KeySpec.Aes256);
        string alias = UniqueAlias("taken");
        KeyImportResult existing = await _east.Client.CreateKeyAndImportAsync(new CreateKeyRequest(alias), theirs);
        string path = Path.Combine(_dir, "journal.jsonl");
        List<MigrationResult> results;
        using (FileBatchJournal journal = FileBatchJournal.Open(path))
        {
            results = await RunAsync([new() { Target = _east.Label, Client = _east.Client, CreateKey = new CreateKeyRequest(alias), Material = ours }], journal);
        }

        Assert.That(results[0].Outcome, Is.EqualTo(MigrationOutcome.Failed));
        Assert.That(results[0].Error!.Message, Does.Contain($"alias '{alias}' is already taken").And.Contain(existing.KeyId).And.Contain("not adopted"));
        Assert.That(_east.Server.Kms.GetImportCount(existing.KeyId), Is.EqualTo(1));
        using FileBatchJournal reread = FileBatchJournal.Open(path);
        Assert.That(reread.Records.Any(r => r.Event is BatchJournalEvent.Created or BatchJournalEvent.AlreadyImported or BatchJournalEvent.Imported), Is.False);
    }

    [Test]
    public async Task A_Journal_That_Recorded_Other_Material_For_A_Key_Fails_That_Key_And_Sends_Nothing()
    {
        using KeyMaterial first = RandomSymmetric(KeySpec.Aes256);
        using KeyMaterial second = RandomSymmetric(KeySpec.Aes256);
        string keyId = (await _east.Client.CreateKeyAsync(new CreateKeyRequest(UniqueAlias("fp")))).KeyId;
        string path = Path.Combine(_dir, "journal.jsonl");
        using (FileBatchJournal earlier = FileBatchJournal.Open(path))
        {
            await RunAsync([new() { Target = _east.Label, Client = _east.Client, KeyId = keyId, Material = first }], earlier);
        }

        int describes = _east.Server.GetRequestCount("describe-key");
        using FileBatchJournal journal = FileBatchJournal.Open(path);
        List<MigrationResult> results = await RunAsync([new() { Target = _east.Label, Client = _east.Client, KeyId = keyId, Material = second }], journal);

        Assert.That(results[0].Outcome, Is.EqualTo(MigrationOutcome.Failed));
        Assert.That(results[0].Error!.Message, Does.Contain("sha256:" + first.ComputeFingerprint()).And.Contain("sha256:" + second.ComputeFingerprint()));
        Assert.That(_east.Server.GetRequestCount("describe-key"), Is.EqualTo(describes));
    }

    [Test]
    public async Task A_Key_To_Create_Whose_Spec_Does_Not_Fit_The_Material_Fails_Before_It_Is_Created()
    {
        using KeyMaterial hmac = RandomSymmetric(KeySpec.Hmac384);

        List<MigrationResult> results = await RunAsync([new() { Target = _east.Label, Client = _east.Client, CreateKey = new CreateKeyRequest(UniqueAlias("spec")), Material = hmac }], null);

        Assert.That(results[0].Outcome, Is.EqualTo(MigrationOutcome.Failed));
        Assert.That(results[0].Error, Is.InstanceOf<KeyImportValidationException>().With.Message.Contains("HMAC_384"));
        Assert.That(_east.Server.GetRequestCount("create-key"), Is.Zero);
    }

    [Test]
    public void Two_Items_For_One_Key_At_One_Target_Are_Refused_Before_Anything_Is_Sent()
    {
        using KeyMaterial aes = RandomSymmetric(KeySpec.Aes256);
        List<MigrationItem> items =
        [
            new() { Target = _east.Label, Client = _east.Client, CreateKey = new CreateKeyRequest("same"), Material = aes },
            new() { Target = _east.Label, Client = _east.Client, CreateKey = new CreateKeyRequest("same"), Material = aes },
        ];

        Assert.That(() => KeyMigration.RunAsync(items), Throws.ArgumentException.With.Message.Contains("alias 'same'"));
        Assert.That(_east.Server.GetRequestCount("create-key"), Is.Zero);
    }

    [Test]
    public async Task Against_A_Throttled_Service_The_Limiter_Lowers_Concurrency_And_Every_Key_Is_Imported()
    {
        var limiter = new AdaptiveConcurrencyLimiter(16, 16);
        await using ServedTarget throttled = await ServedTarget.StartAsync(new LocalKmsServerOptions { MaxRequestsPerSecond = 20, Kms = new LocalKmsOptions { WrappingKeyPoolSize = 2 } }, limiter, maxRetryAttempts: 6);
        var materials = Enumerable.Range(0, 24).Select(_ => RandomSymmetric(KeySpec.Aes256)).ToList();
        try
        {
            List<MigrationItem> items = materials.Select((m, i) => new MigrationItem { Target = throttled.Label, Client = throttled.Client, CreateKey = new CreateKeyRequest(UniqueAlias($"rate{i}")), Material = m }).ToList();

            List<MigrationResult> results = await RunAsync(items, null, maxConcurrency: 16);

            Assert.That(results.Where(r => !r.Succeeded).Select(r => r.Error!.Message), Is.Empty);
            Assert.That(throttled.Server.ThrottledCount, Is.GreaterThan(0), "the service throttled");
            Assert.That(limiter.ThrottledCount, Is.EqualTo(throttled.Server.ThrottledCount), "the limiter saw every 429");
        }
        finally
        {
            materials.ForEach(m => m.Dispose());
        }
    }

    private static async Task<List<MigrationResult>> RunAsync(IReadOnlyList<MigrationItem> items, IBatchJournal? journal, int maxConcurrency = 4)
    {
        var results = new List<MigrationResult>();
        await foreach (MigrationResult result in KeyMigration.RunAsync(items, new MigrationOptions { Journal = journal, MaxConcurrency = maxConcurrency }))
        {
            results.Add(result);
        }

        return results;
    }
}
