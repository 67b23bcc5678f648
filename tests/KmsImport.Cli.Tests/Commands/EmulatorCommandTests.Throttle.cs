using System.Text.RegularExpressions;

namespace KmsImport.Cli.Tests.Commands;

/// <summary>kms-import emulator --max-requests-per-second and --wrapping-key-pool.</summary>
public sealed partial class EmulatorCommandTests
{
    [Test]
    public async Task A_Throttled_Emulator_Says_So_And_The_Client_Rides_Its_429s()
    {
        using var stop = new CancellationTokenSource();
        var output = new SynchronizedWriter();
        var context = new CliContext(output, TextWriter.Null, _ => null);
        Task<int> emulator = CliApplication.RunAsync(["emulator", "--urls", "http://127.0.0.1:0", "--max-requests-per-second", "2", "--wrapping-key-pool", "1"], context, stop.Token);

        string text = await output.WaitForAsync("try:", TimeSpan.FromSeconds(60));
        Assert.That(text, Does.Contain("throttled at 2 requests per second"));
        string endpoint = Regex.Match(text, @"listening on (\S+)").Groups[1].Value;
        var env = new Dictionary<string, string>
        {
            ["HUAWEICLOUD_SDK_AK"] = Regex.Match(text, "HUAWEICLOUD_SDK_AK=(\\S+)").Groups[1].Value,
            ["HUAWEICLOUD_SDK_SK"] = Regex.Match(text, "HUAWEICLOUD_SDK_SK=(\\S+)").Groups[1].Value,
            ["HUAWEICLOUD_SDK_PROJECT_ID"] = Regex.Match(text, "HUAWEICLOUD_SDK_PROJECT_ID=(\\S+)").Groups[1].Value,
        };

        // Five requests at 2/s: beyond the burst the 429s are retried after Retry-After.
        for (int i = 0; i < 5; i++)
        {
            CliRun create = await CliHarness.RunAsync(["create-key", "--alias", $"throttled-{i}", "--endpoint", endpoint], env, configureClient: o => o.Retry.BaseDelay = TimeSpan.FromMilliseconds(10));
            Assert.That(create.ExitCode, Is.Zero, create.ToString());
        }

        await stop.CancelAsync();
        Assert.That(await emulator, Is.Zero);
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
