namespace KmsImport.Cli.Tests.Commands;

/// <summary>kms-import emulator --max-requests-per-second and --wrapping-key-pool.</summary>
public sealed partial class EmulatorCommandTests
{
    [Test]
    public async Task A_Throttled_Emulator_Says_So_And_The_Client_Rides_Its_429s()
    {
        await using EmulatorRun emulator = await EmulatorRun.StartAsync(["--urls", "http://127.0.0.1:0", "--max-requests-per-second", "2", "--wrapping-key-pool", "1"]);
        Assert.That(emulator.Text, Does.Contain("throttled at 2 requests per second"));

        // Five requests at 2/s: beyond the burst the 429s are retried after Retry-After.
        for (int i = 0; i < 5; i++)
        {
            CliRun create = await CliHarness.RunAsync(["create-key", "--alias", $"throttled-{i}", "--endpoint", emulator.Endpoint], emulator.Environment, configureClient: o => o.Retry.BaseDelay = TimeSpan.FromMilliseconds(10));
            Assert.That(create.ExitCode, Is.Zero, create.ToString());
        }

        Assert.That(await emulator.StopAsync(), Is.Zero);
    }

    [TestCase("--max-requests-per-second", "-1", "--max-requests-per-second")]
    [TestCase("--wrapping-key-pool", "5000", "--wrapping-key-pool")]
    public async Task Out_Of_Range_Values_Exit_2(string option, string value, string expected)
    {
        CliRun run = await CliHarness.RunAsync("emulator", "--urls", "http://127.0.0.1:0", option, value);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain(expected));
    }
}
