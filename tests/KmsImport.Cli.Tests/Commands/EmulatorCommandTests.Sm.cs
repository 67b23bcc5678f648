using System.Text.RegularExpressions;

namespace KmsImport.Cli.Tests.Commands;

// kms-import emulator --region/--cloud: the served emulator plays that cloud and region's capabilities.
public sealed partial class EmulatorCommandTests
{
    [Test]
    public async Task Emulator_Command_Plays_The_Region_Given_With_Region_And_Cloud()
    {
        using var stop = new CancellationTokenSource();
        var output = new SynchronizedWriter();
        var context = new CliContext(output, TextWriter.Null, _ => null);
        Task<int> emulator = CliApplication.RunAsync(["emulator", "--urls", "http://127.0.0.1:0", "--region", "eu-de", "--cloud", "otc"], context, stop.Token);

        string text = await output.WaitForAsync("export HUAWEICLOUD_SDK_PROJECT_ID=", TimeSpan.FromSeconds(60));
        Assert.That(text, Does.Contain("capabilities: Open Telekom Cloud region eu-de"));
        string endpoint = Regex.Match(text, @"listening on (\S+)").Groups[1].Value;
        var env = new Dictionary<string, string>
        {
            ["HUAWEICLOUD_SDK_AK"] = Regex.Match(text, "HUAWEICLOUD_SDK_AK=(\\S+)").Groups[1].Value,
            ["HUAWEICLOUD_SDK_SK"] = Regex.Match(text, "HUAWEICLOUD_SDK_SK=(\\S+)").Groups[1].Value,
            ["HUAWEICLOUD_SDK_PROJECT_ID"] = Regex.Match(text, "HUAWEICLOUD_SDK_PROJECT_ID=(\\S+)").Groups[1].Value,
        };

        CliRun sm4 = await CliHarness.RunAsync(["create-key", "--alias", "sm4-on-otc", "--spec", "SM4", "--endpoint", endpoint], env);
        CliRun hmac = await CliHarness.RunAsync(["create-key", "--alias", "hmac-on-otc", "--spec", "HMAC_256", "--endpoint", endpoint], env);
        await stop.CancelAsync();
        int exitCode = await emulator;
        Assert.Multiple(() =>
        {
            Assert.That(sm4.ExitCode, Is.Not.Zero);
            Assert.That(sm4.Error, Does.Contain("SM4").And.Contain("Open Telekom Cloud"));
            Assert.That(hmac.ExitCode, Is.Zero, hmac.ToString());
            Assert.That(exitCode, Is.Zero);
        });
    }
}
