namespace KmsImport.Cli.Tests.Commands;

[TestFixture]
[CancelAfter(120_000)]
public sealed class DemoCommandTests
{
    [Test]
    public async Task Demo_Runs_The_Whole_Flow_And_Verifies_Both_Keys()
    {
        CliRun run = await CliHarness.RunAsync("demo");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Error, Is.Empty);
        Assert.That(run.Output, Does.Contain("state PendingImport").And.Contain("state Enabled").And.Contain("Done: 2 keys imported and verified"));
        Assert.That(run.Output, Does.Not.Contain("ImportToken =").And.Not.Contain("BEGIN"));
    }
}
