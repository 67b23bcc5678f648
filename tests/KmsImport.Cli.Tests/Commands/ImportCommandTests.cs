using System.Security.Cryptography;
using KmsImport.Sdk;
using KmsImport.Sdk.Testing;

namespace KmsImport.Cli.Tests.Commands;

/// <summary>kms-import import against the emulator served on loopback (the guide's files: ServedEmulatorTests).</summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed class ImportCommandTests
{
    private LocalKmsServer _server = null!;
    private TempDirectory _dir = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await LocalKmsServer.StartAsync();
        _dir = new TempDirectory();
    }

    [TearDown]
    public async Task TearDown()
    {
        await _server.DisposeAsync();
        _dir.Dispose();
    }

    [Test]
    public async Task Import_Cancelled_While_Its_Request_Is_Under_Way_Exits_130_And_Says_Its_Outcome_Is_Unknown()
    {
        string keyId = (await _server.Kms.CreateKeyAsync(new CreateKeyRequest("slow-import"))).KeyId;
        CliRun parameters = await CliHarness.RunAsync(["get-parameters", "--key-id", keyId, "--out-dir", _dir.Path, "--endpoint", _server.Endpoint()], _server.CliEnvironment());
        Assert.That(parameters.ExitCode, Is.Zero, parameters.ToString());
        File.WriteAllBytes(_dir.File("aes.bin"), RandomNumberGenerator.GetBytes(32));
        CliRun wrap = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("PublicKey.bin"), "--material", _dir.File("aes.bin"), "--out", _dir.File("EncryptedKeyMaterial.bin"));
        Assert.That(wrap.ExitCode, Is.Zero, wrap.ToString());
        LocalKmsFault slow = _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Latency) { Operation = "import-key-material", Latency = TimeSpan.FromSeconds(60) });
        string[] args = ["import", "--key-id", keyId, "--token-file", _dir.File("ImportToken.b64"), "--material-file", _dir.File("EncryptedKeyMaterial.bin"), "--endpoint", _server.Endpoint()];

        CliRun run = await CliHarness.RunAndCancelAsync(cancellationToken => CliHarness.RunAsync(args, _server.CliEnvironment(), cancellationToken: cancellationToken), () => slow.Triggered == 1);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Cancelled), run.ToString());
        Assert.That(run.Error, Is.EqualTo(
            $"cancelled: the import into key {keyId} was cancelled while its request was under way; it may have been sent, so its outcome is unknown. Check the key before importing again (kms-import describe --key-id {keyId}: Enabled means the material was imported).{Environment.NewLine}"));
        Assert.That(run.Output, Is.Empty);
    }
}
