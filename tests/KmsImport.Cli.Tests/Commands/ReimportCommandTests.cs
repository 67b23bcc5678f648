using System.Security.Cryptography;
using KmsImport.Sdk;
using KmsImport.Sdk.Testing;

namespace KmsImport.Cli.Tests.Commands;

/// <summary>kms-import reimport against the emulator served on loopback.</summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed class ReimportCommandTests
{
    private LocalKmsServer _server = null!;
    private Dictionary<string, string> _env = null!;
    private TempDirectory _dir = null!;
    private byte[] _material = null!;
    private string _fingerprint = null!;

    private string Endpoint => _server.Endpoint();

    [SetUp]
    public async Task SetUp()
    {
        _server = await LocalKmsServer.StartAsync();
        _env = _server.CliEnvironment();
        _dir = new TempDirectory();
        _material = RandomNumberGenerator.GetBytes(32);
        _fingerprint = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(_material));
        File.WriteAllBytes(_dir.File("aes.bin"), _material);
    }

    [TearDown]
    public async Task TearDown()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Test]
    public async Task Extend_Expiry_Deletes_And_Imports_The_Same_Material_With_The_New_Expiry()
    {
        string keyId = await ImportedKeyAsync("1d");

        CliRun run = await Kms("reimport", "--key-id", keyId, "--material", _dir.File("aes.bin"), "--expected-fingerprint", _fingerprint, "--extend-expiry", "30d");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        KeyDetails details = await _server.Kms.DescribeKeyAsync(new DescribeKeyRequest(keyId));
        Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
        Assert.That(details.MaterialExpiresOn, Is.GreaterThan(DateTimeOffset.UtcNow.AddDays(29)));
        Assert.That(_server.Kms.GetImportCount(keyId), Is.EqualTo(2));
        Assert.That(_server.GetRequestCount("delete-imported-key-material"), Is.EqualTo(1));
    }

    [Test]
    public async Task Other_Material_Is_Refused_By_Its_Fingerprint_Before_Anything_Is_Sent()
    {
        string keyId = await ImportedKeyAsync("1d");
        int requests = _server.GetRequestCount("describe-key");
        File.WriteAllBytes(_dir.File("other.bin"), RandomNumberGenerator.GetBytes(32));

        CliRun run = await Kms("reimport", "--key-id", keyId, "--material", _dir.File("other.bin"), "--expected-fingerprint", _fingerprint, "--extend-expiry", "30d");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("not the expected " + _fingerprint).And.Contain("KMS.2606").And.Contain("nothing was sent"));
        Assert.That(_server.GetRequestCount("describe-key"), Is.EqualTo(requests));
        Assert.That(_server.GetRequestCount("delete-imported-key-material"), Is.Zero);
    }

    [Test]
    public async Task Extend_Expiry_With_Another_Spec_Than_The_Keys_Is_Refused_Before_The_Delete()
    {
        string keyId = await ImportedKeyAsync("1d");

        CliRun run = await Kms("reimport", "--key-id", keyId, "--material", _dir.File("aes.bin"), "--spec", "HMAC_256", "--expected-fingerprint", _fingerprint, "--extend-expiry", "30d");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("AES_256").And.Contain("HMAC_256").And.Contain("nothing was deleted"));
        Assert.That(_server.GetRequestCount("delete-imported-key-material"), Is.Zero);
        Assert.That((await _server.Kms.DescribeKeyAsync(new DescribeKeyRequest(keyId))).KeyState, Is.EqualTo(KeyState.Enabled));
    }

    [Test]
    public async Task Extend_Expiry_Without_An_Expected_Fingerprint_Is_Refused()
    {
        string keyId = await ImportedKeyAsync("1d");

        CliRun run = await Kms("reimport", "--key-id", keyId, "--material", _dir.File("aes.bin"), "--extend-expiry", "30d");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--expected-fingerprint"));
        Assert.That(_server.GetRequestCount("delete-imported-key-material"), Is.Zero);
    }

    [Test]
    public async Task An_Enabled_Key_Without_Extend_Expiry_Is_Left_Alone()
    {
        string keyId = await ImportedKeyAsync("1d");

        CliRun run = await Kms("reimport", "--key-id", keyId, "--material", _dir.File("aes.bin"), "--expires", "30d");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("is Enabled").And.Contain("extend the expiry"));
        Assert.That(_server.GetRequestCount("delete-imported-key-material"), Is.Zero);
    }

    [Test]
    public async Task A_Key_Whose_Material_Was_Deleted_Takes_The_Same_Material_Again()
    {
        string keyId = await ImportedKeyAsync("never");
        await new KeyImportClient(_server.Kms).DeleteImportedKeyMaterialAsync(keyId);

        CliRun run = await Kms("reimport", "--key-id", keyId, "--material", _dir.File("aes.bin"), "--expected-fingerprint", _fingerprint);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain(_fingerprint["sha256:".Length..]));
        Assert.That((await _server.Kms.DescribeKeyAsync(new DescribeKeyRequest(keyId))).KeyState, Is.EqualTo(KeyState.Enabled));
    }

    [Test]
    public async Task When_The_Import_Fails_After_The_Delete_The_Error_Says_Pending_Import_And_Prints_The_Command_That_Finishes_The_Job()
    {
        string keyId = await ImportedKeyAsync("1d");
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.ServerError) { Operation = "get-parameters-for-import", Count = 10 });

        CliRun run = await Kms("reimport", "--key-id", keyId, "--material", _dir.File("aes.bin"), "--expected-fingerprint", _fingerprint, "--extend-expiry", "30d");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Does.Contain($"Key {keyId} is pending import").And.Contain("finish the job with:"));
        Assert.That((await _server.Kms.DescribeKeyAsync(new DescribeKeyRequest(keyId))).KeyState, Is.EqualTo(KeyState.PendingImport));
        string command = run.Error.Split('\n').Select(l => l.Trim()).Single(l => l.StartsWith("kms-import reimport ", StringComparison.Ordinal));
        Assert.That(command, Does.Contain("--key-id " + keyId).And.Contain("--expected-fingerprint " + _fingerprint).And.Contain("--endpoint " + Endpoint).And.Contain("--spec AES_256").And.Not.Contain(_server.SecretKey));

        _server.Faults.Clear();
        CliRun finish = await CliHarness.RunAsync(command.Split(' ').Skip(1), _env);

        Assert.That(finish.ExitCode, Is.Zero, finish.ToString());
        KeyDetails details = await _server.Kms.DescribeKeyAsync(new DescribeKeyRequest(keyId));
        Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
        Assert.That(details.MaterialExpiresOn, Is.GreaterThan(DateTimeOffset.UtcNow.AddDays(29)), "the new expiry, as an absolute time");
    }

    private async Task<string> ImportedKeyAsync(string expires)
    {
        CliRun created = await Kms("create-key", "--alias", $"r-{Guid.NewGuid():N}");
        Assert.That(created.ExitCode, Is.Zero, created.ToString());
        string keyId = created.Output.Trim();
        CliRun imported = await Kms("import-key", "--key-id", keyId, "--material", _dir.File("aes.bin"), "--spec", "AES_256", "--expires", expires);
        Assert.That(imported.ExitCode, Is.Zero, imported.ToString());
        return keyId;
    }

    private async Task<CliRun> Kms(params string[] args)
    {
        CliRun run = await CliHarness.RunAsync([.. args, "--endpoint", Endpoint], _env);
        Assert.That(run.All, Does.Not.Contain(_server.SecretKey));
        return run;
    }
}
