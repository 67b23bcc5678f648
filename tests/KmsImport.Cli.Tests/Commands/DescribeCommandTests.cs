using KmsImport.Sdk;
using KmsImport.Sdk.Testing;

namespace KmsImport.Cli.Tests.Commands;

/// <summary>kms-import describe against the emulator served on loopback (its output: ServedEmulatorTests).</summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed class DescribeCommandTests
{
    [Test]
    public async Task Describe_Cancelled_While_Asking_Exits_130_And_Says_Nothing_Was_Changed()
    {
        await using LocalKmsServer server = await LocalKmsServer.StartAsync();
        string keyId = (await server.Kms.CreateKeyAsync(new CreateKeyRequest("slow-describe"))).KeyId;
        LocalKmsFault slow = server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Latency) { Operation = "describe-key", Latency = TimeSpan.FromSeconds(60) });

        CliRun run = await CliHarness.RunAndCancelAsync(
            cancellationToken => CliHarness.RunAsync(["describe", "--key-id", keyId, "--endpoint", server.Endpoint()], server.CliEnvironment(), cancellationToken: cancellationToken),
            () => slow.Triggered == 1);

        Assert.That(run.ExitCode, Is.EqualTo(ExitCodes.Cancelled), run.ToString());
        Assert.That(run.Error, Is.EqualTo("cancelled: nothing was changed" + Environment.NewLine));
        Assert.That(run.Output, Is.Empty);
    }
}
