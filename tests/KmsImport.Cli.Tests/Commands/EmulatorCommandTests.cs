using System.Text.RegularExpressions;

namespace KmsImport.Cli.Tests.Commands;

/// <summary>kms-import emulator serves until cancelled; another kms-import talks to it with the printed values.</summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed partial class EmulatorCommandTests
{
    [Test]
    public async Task Emulator_Prints_Generated_Test_Credentials_Serves_Them_And_Stops_With_Exit_0()
    {
        using var stop = new CancellationTokenSource();
        var output = new SynchronizedWriter();
        var context = new CliContext(output, TextWriter.Null, _ => null);
        Task<int> emulator = CliApplication.RunAsync(["emulator", "--urls", "http://127.0.0.1:0"], context, stop.Token);

        string text = await output.WaitForAsync("export HUAWEICLOUD_SDK_PROJECT_ID=", TimeSpan.FromSeconds(60));
        string endpoint = Regex.Match(text, @"listening on (\S+)").Groups[1].Value;
        var env = new Dictionary<string, string>
        {
            ["HUAWEICLOUD_SDK_AK"] = Regex.Match(text, "HUAWEICLOUD_SDK_AK=(\\S+)").Groups[1].Value,
            ["HUAWEICLOUD_SDK_SK"] = Regex.Match(text, "HUAWEICLOUD_SDK_SK=(\\S+)").Groups[1].Value,
            ["HUAWEICLOUD_SDK_PROJECT_ID"] = Regex.Match(text, "HUAWEICLOUD_SDK_PROJECT_ID=(\\S+)").Groups[1].Value,
        };

        CliRun create = await CliHarness.RunAsync(["create-key", "--alias", "from-the-shell", "--endpoint", endpoint], env);
        Assert.That(create.ExitCode, Is.Zero, create.ToString());

        await stop.CancelAsync();
        Assert.That(await emulator, Is.Zero);
    }

    [Test]
    public async Task Emulator_Takes_Credentials_From_The_Environment_And_Does_Not_Print_Them()
    {
        var env = new Dictionary<string, string>
        {
            ["HUAWEICLOUD_SDK_AK"] = "SHELLACCESSKEY",
            ["HUAWEICLOUD_SDK_SK"] = "shell-secret-key-not-to-be-printed",
            ["HUAWEICLOUD_SDK_PROJECT_ID"] = "0123456789abcdef0123456789abcdef",
        };
        using var stop = new CancellationTokenSource();
        var output = new SynchronizedWriter();
        var context = new CliContext(output, TextWriter.Null, name => env.GetValueOrDefault(name));
        Task<int> emulator = CliApplication.RunAsync(["emulator", "--urls", "http://127.0.0.1:0"], context, stop.Token);

        string text = await output.WaitForAsync("try:", TimeSpan.FromSeconds(60));
        string endpoint = Regex.Match(text, @"listening on (\S+)").Groups[1].Value;
        Assert.That(text, Does.Not.Contain("shell-secret-key"));

        CliRun describe = await CliHarness.RunAsync(["describe", "--key-id", "00000000-0000-0000-0000-000000000000", "--endpoint", endpoint], env);
        Assert.That(describe.ExitCode, Is.EqualTo(1), describe.ToString());
        Assert.That(describe.Error, Does.Contain("KMS.0207"), "authenticated with the shell's credentials, then not found");

        await stop.CancelAsync();
        Assert.That(await emulator, Is.Zero);
    }

    [TestCase("http://0.0.0.0:5080", "every interface")]
    [TestCase("http://0.0.0.0:0", "every interface")]
    [TestCase("http://[::]:0", "every interface")]
    [TestCase("http://kms.example.com:0", "host name")]
    [TestCase("http://192.168.1.10:0", "not a loopback address")]
    [TestCase("https://127.0.0.1:0", "plain HTTP")]
    [TestCase("http://127.0.0.1:0;http://0.0.0.0:0", "every interface")]
    public async Task Emulator_Refuses_A_Non_Loopback_Address_With_Exit_2(string urls, string reason)
    {
        CliRun run = await CliHarness.RunAsync("emulator", "--urls", urls);
        Assert.Multiple(() =>
        {
            Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
            Assert.That(run.Error, Does.Contain("--urls"));
            Assert.That(run.Error, Does.Contain("loopback only"));
            Assert.That(run.Error, Does.Contain(reason));
            Assert.That(run.Output, Does.Not.Contain("listening on"));
        });
    }

    [Test]
    public async Task Emulator_Refuses_User_Info_Without_Printing_The_Password()
    {
        CliRun run = await CliHarness.RunAsync("emulator", "--urls", "http://admin:hunter2-password@127.0.0.1:0");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.All, Does.Not.Contain("hunter2-password"));
        Assert.That(run.Error, Does.Contain("user info"));
    }

    [TestCase("http://localhost:0")]
    [TestCase("http://loopback:0")]
    public async Task Emulator_Turns_A_Loopback_Host_Name_Into_127_0_0_1(string urls)
    {
        using var stop = new CancellationTokenSource();
        var output = new SynchronizedWriter();
        var context = new CliContext(output, TextWriter.Null, _ => null);
        Task<int> emulator = CliApplication.RunAsync(["emulator", "--urls", urls], context, stop.Token);

        string text = await output.WaitForAsync("export HUAWEICLOUD_SDK_PROJECT_ID=", TimeSpan.FromSeconds(60));
        string endpoint = Regex.Match(text, @"listening on (\S+)").Groups[1].Value;
        Assert.That(endpoint, Does.Match(@"^http://127\.0\.0\.1:[1-9][0-9]*$"));

        var env = new Dictionary<string, string>
        {
            ["HUAWEICLOUD_SDK_AK"] = Regex.Match(text, "HUAWEICLOUD_SDK_AK=(\\S+)").Groups[1].Value,
            ["HUAWEICLOUD_SDK_SK"] = Regex.Match(text, "HUAWEICLOUD_SDK_SK=(\\S+)").Groups[1].Value,
            ["HUAWEICLOUD_SDK_PROJECT_ID"] = Regex.Match(text, "HUAWEICLOUD_SDK_PROJECT_ID=(\\S+)").Groups[1].Value,
        };
        CliRun create = await CliHarness.RunAsync(["create-key", "--alias", "on-loopback", "--endpoint", endpoint], env);
        Assert.That(create.ExitCode, Is.Zero, create.ToString());

        await stop.CancelAsync();
        Assert.That(await emulator, Is.Zero);
    }

    [Test]
    public async Task Emulator_With_Temporary_Credentials_Requires_The_Security_Token()
    {
        var env = new Dictionary<string, string>
        {
            ["HUAWEICLOUD_SDK_AK"] = "TEMPORARYACCESSKEY",
            ["HUAWEICLOUD_SDK_SK"] = "temporary-secret-key-not-to-be-printed",
            ["HUAWEICLOUD_SDK_SECURITY_TOKEN"] = "temporary-security-token-not-to-be-printed",
            ["HUAWEICLOUD_SDK_PROJECT_ID"] = "0123456789abcdef0123456789abcdef",
        };
        using var stop = new CancellationTokenSource();
        var output = new SynchronizedWriter();
        var context = new CliContext(output, TextWriter.Null, name => env.GetValueOrDefault(name));
        Task<int> emulator = CliApplication.RunAsync(["emulator", "--urls", "http://127.0.0.1:0"], context, stop.Token);

        string text = await output.WaitForAsync("try:", TimeSpan.FromSeconds(60));
        string endpoint = Regex.Match(text, @"listening on (\S+)").Groups[1].Value;
        Assert.That(text, Does.Contain("HUAWEICLOUD_SDK_SECURITY_TOKEN"));
        Assert.That(text, Does.Not.Contain("not-to-be-printed"));

        CliRun withToken = await CliHarness.RunAsync(["create-key", "--alias", "temporary", "--endpoint", endpoint], env);
        Assert.That(withToken.ExitCode, Is.Zero, withToken.ToString());

        var withoutTokenEnv = new Dictionary<string, string>(env);
        withoutTokenEnv.Remove("HUAWEICLOUD_SDK_SECURITY_TOKEN");
        CliRun withoutToken = await CliHarness.RunAsync(["create-key", "--alias", "permanent", "--endpoint", endpoint], withoutTokenEnv);
        Assert.That(withoutToken.ExitCode, Is.EqualTo(1), withoutToken.ToString());
        Assert.That(withoutToken.Error, Does.Contain("APIG.0301"));

        await stop.CancelAsync();
        Assert.That(await emulator, Is.Zero);
    }

    /// <summary>A writer the emulator writes to while the test reads.</summary>
    private sealed class SynchronizedWriter : StringWriter
    {
        private readonly object _gate = new();

        public override void Write(char value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override void Write(string? value)
        {
            lock (_gate)
            {
                base.Write(value);
            }
        }

        public override void WriteLine(string? value)
        {
            lock (_gate)
            {
                base.WriteLine(value);
            }
        }

        public async Task<string> WaitForAsync(string marker, TimeSpan timeout)
        {
            using var cts = new CancellationTokenSource(timeout);
            while (true)
            {
                string text;
                lock (_gate)
                {
                    text = ToString();
                }

                if (text.Contains(marker, StringComparison.Ordinal))
                {
                    return text;
                }

                await Task.Delay(50, cts.Token);
            }
        }
    }
}
