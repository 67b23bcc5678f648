namespace KmsImport.Cli.Tests;

/// <summary>Usage errors, version and help: exit codes and one-line errors, before anything is sent.</summary>
[TestFixture]
[CancelAfter(60_000)]
public sealed class CliApplicationTests
{
    private const string KeyId = "0d0466b0-e727-4d9c-b35d-f84bb474a37f";

    private static readonly Dictionary<string, string> s_credentials = new()
    {
        ["HUAWEICLOUD_SDK_AK"] = "AKTESTACCESSKEY",
        ["HUAWEICLOUD_SDK_SK"] = "sk-that-must-never-be-printed",
        ["HUAWEICLOUD_SDK_PROJECT_ID"] = "0123456789abcdef0123456789abcdef",
    };

    [Test]
    public async Task Version_Prints_The_Version_And_Exits_0()
    {
        CliRun run = await CliHarness.RunAsync("--version");
        Assert.That(run.ExitCode, Is.Zero);
        Assert.That(run.Output, Does.Match(@"^\d+\.\d+\.\d+"));
    }

    [Test]
    public async Task Help_Lists_Every_Command()
    {
        CliRun run = await CliHarness.RunAsync("--help");
        Assert.That(run.ExitCode, Is.Zero);
        foreach (string command in new[] { "create-key", "get-parameters", "wrap", "import", "import-key", "import-batch", "describe", "delete-material", "emulator", "demo" })
        {
            Assert.That(run.Output, Does.Contain(command));
        }
    }

    [TestCase(new string[0], "command")]
    [TestCase(new[] { "no-such-command" }, "no-such-command")]
    [TestCase(new[] { "describe" }, "--key-id")]
    [TestCase(new[] { "create-key", "--alias", "a", "--cloud", "azure" }, "azure")]
    [TestCase(new[] { "import-key", "--key-id", "k" }, "exactly one of --material")]
    [TestCase(new[] { "import-key", "--key-id", "k", "--material", "a", "--private-key", "b" }, "exactly one of --material")]
    [TestCase(new[] { "wrap", "--wrapping-key", "k", "--material", "a", "--password-file", "p" }, "--password-file goes with --private-key")]
    [TestCase(new[] { "describe", "--key-id", "k", "--sk", "secret" }, "--sk")]
    [TestCase(new[] { "describe", "--key-id", "my-key-alias" }, "--key-id my-key-alias: not a KMS key id")]
    [TestCase(new[] { "create-key", "--alias", "a", "--spec", "ED25519" }, "--spec ED25519: material cannot be imported")]
    public async Task Bad_Usage_Exits_2_With_An_Error_Line(string[] args, string expected)
    {
        CliRun run = await CliHarness.RunAsync(args);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.StartWith("error: "));
        Assert.That(run.Error, Does.Contain(expected));
        Assert.That(run.Error, Does.Not.Contain("   at "), "no stack trace");
    }

    [Test]
    public async Task No_Endpoint_Exits_2()
    {
        CliRun run = await CliHarness.RunAsync(["describe", "--key-id", KeyId], s_credentials);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--endpoint URL, or --region"));
    }

    [Test]
    public async Task No_Project_Id_Exits_2()
    {
        CliRun run = await CliHarness.RunAsync(["describe", "--key-id", KeyId, "--region", "eu-de", "--cloud", "otc"], new Dictionary<string, string> { ["HUAWEICLOUD_SDK_AK"] = "a", ["HUAWEICLOUD_SDK_SK"] = "b" });
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("HUAWEICLOUD_SDK_PROJECT_ID"));
    }

    [Test]
    public async Task No_Credentials_Exits_2_And_Says_Where_They_Come_From()
    {
        CliRun run = await CliHarness.RunAsync("describe", "--key-id", KeyId, "--region", "eu-de", "--project-id", "p");
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("HUAWEICLOUD_SDK_AK").And.Contain("--auth-token-file").And.Contain("never taken from arguments"));
    }

    [Test]
    public async Task Plain_Http_To_A_Remote_Host_Is_Refused()
    {
        CliRun run = await CliHarness.RunAsync(["describe", "--key-id", KeyId, "--endpoint", "http://kms.example.com"], s_credentials);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("loopback"));
        Assert.That(run.All, Does.Not.Contain("sk-that-must-never-be-printed"));
    }

    [Test]
    public async Task Expiry_On_A_Private_Key_Import_Is_Refused()
    {
        CliRun run = await CliHarness.RunAsync(["import", "--key-id", KeyId, "--token-file", "t", "--material-file", "m", "--private-key-file", "p", "--expires", "1d", "--endpoint", "http://127.0.0.1:1"], s_credentials);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("never expire"));
    }

    [Test]
    public async Task Missing_Input_File_Exits_2_And_Names_The_Option()
    {
        CliRun run = await CliHarness.RunAsync(["import", "--key-id", KeyId, "--token-file", "/nonexistent/ImportToken.b64", "--material-file", "m", "--endpoint", "http://127.0.0.1:1"], s_credentials);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--token-file /nonexistent/ImportToken.b64: the file does not exist"));
    }

    [Test]
    public async Task Two_Inputs_From_Standard_Input_Are_Refused()
    {
        CliRun run = await CliHarness.RunAsync(["import", "--key-id", KeyId, "--token-file", "-", "--material-file", "-", "--endpoint", "http://127.0.0.1:1"], s_credentials);
        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("only one input"));
    }
}
