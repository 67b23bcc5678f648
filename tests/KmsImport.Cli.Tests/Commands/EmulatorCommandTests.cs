namespace KmsImport.Cli.Tests.Commands;

/// <summary>kms-import emulator serves until cancelled; another kms-import talks to it with the printed values.</summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed partial class EmulatorCommandTests
{
    [Test]
    public async Task Emulator_Prints_Generated_Test_Credentials_Serves_Them_And_Stops_With_Exit_0()
    {
        await using EmulatorRun emulator = await EmulatorRun.StartAsync(["--urls", "http://127.0.0.1:0"]);

        CliRun create = await CliHarness.RunAsync(["create-key", "--alias", "from-the-shell", "--endpoint", emulator.Endpoint], emulator.Environment);
        Assert.That(create.ExitCode, Is.Zero, create.ToString());

        Assert.That(await emulator.StopAsync(), Is.Zero);
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
        await using EmulatorRun emulator = await EmulatorRun.StartAsync(["--urls", "http://127.0.0.1:0"], env);
        Assert.That(emulator.Text, Does.Not.Contain("shell-secret-key"));

        CliRun describe = await CliHarness.RunAsync(["describe", "--key-id", "00000000-0000-0000-0000-000000000000", "--endpoint", emulator.Endpoint], env);
        Assert.That(describe.ExitCode, Is.EqualTo(1), describe.ToString());
        Assert.That(describe.Error, Does.Contain("KMS.0207"), "authenticated with the shell's credentials, then not found");

        Assert.That(await emulator.StopAsync(), Is.Zero);
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
        await using EmulatorRun emulator = await EmulatorRun.StartAsync(["--urls", urls]);
        Assert.That(emulator.Endpoint, Does.Match(@"^http://127\.0\.0\.1:[1-9][0-9]*$"));

        CliRun create = await CliHarness.RunAsync(["create-key", "--alias", "on-loopback", "--endpoint", emulator.Endpoint], emulator.Environment);
        Assert.That(create.ExitCode, Is.Zero, create.ToString());

        Assert.That(await emulator.StopAsync(), Is.Zero);
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
        await using EmulatorRun emulator = await EmulatorRun.StartAsync(["--urls", "http://127.0.0.1:0"], env);
        Assert.That(emulator.Text, Does.Contain("HUAWEICLOUD_SDK_SECURITY_TOKEN"));
        Assert.That(emulator.Text, Does.Not.Contain("not-to-be-printed"));

        CliRun withToken = await CliHarness.RunAsync(["create-key", "--alias", "temporary", "--endpoint", emulator.Endpoint], env);
        Assert.That(withToken.ExitCode, Is.Zero, withToken.ToString());

        var withoutTokenEnv = new Dictionary<string, string>(env);
        withoutTokenEnv.Remove("HUAWEICLOUD_SDK_SECURITY_TOKEN");
        CliRun withoutToken = await CliHarness.RunAsync(["create-key", "--alias", "permanent", "--endpoint", emulator.Endpoint], withoutTokenEnv);
        Assert.That(withoutToken.ExitCode, Is.EqualTo(1), withoutToken.ToString());
        Assert.That(withoutToken.Error, Does.Contain("APIG.0301"));

        Assert.That(await emulator.StopAsync(), Is.Zero);
    }
}
