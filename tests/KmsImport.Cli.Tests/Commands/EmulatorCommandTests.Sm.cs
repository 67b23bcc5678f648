namespace KmsImport.Cli.Tests.Commands;

// kms-import emulator --region/--cloud: the served emulator plays that cloud and region's capabilities.
public sealed partial class EmulatorCommandTests
{
    [Test]
    public async Task Emulator_Command_Plays_The_Region_Given_With_Region_And_Cloud()
    {
        await using EmulatorRun emulator = await EmulatorRun.StartAsync(["--urls", "http://127.0.0.1:0", "--region", "eu-de", "--cloud", "otc"]);
        Assert.That(emulator.Text, Does.Contain("capabilities: Open Telekom Cloud region eu-de"));

        CliRun sm4 = await CliHarness.RunAsync(["create-key", "--alias", "sm4-on-otc", "--spec", "SM4", "--endpoint", emulator.Endpoint], emulator.Environment);
        CliRun hmac = await CliHarness.RunAsync(["create-key", "--alias", "hmac-on-otc", "--spec", "HMAC_256", "--endpoint", emulator.Endpoint], emulator.Environment);
        int exitCode = await emulator.StopAsync();
        Assert.Multiple(() =>
        {
            Assert.That(sm4.ExitCode, Is.Not.Zero);
            Assert.That(sm4.Error, Does.Contain("SM4").And.Contain("Open Telekom Cloud"));
            Assert.That(hmac.ExitCode, Is.Zero, hmac.ToString());
            Assert.That(exitCode, Is.Zero);
        });
    }

    [Test]
    public async Task Offline_Flow_Get_Parameters_Wrap_Import_Of_Sm4_And_Sm2_Against_A_Served_Chinese_Region_Emulator()
    {
        // The guide's offline flow: get-parameters --algorithm SM2_ENCRYPT, wrap, import of the files wrap wrote.
        using var workDir = new TempDirectory();
        await OpenSsl.RunAsync(workDir.Path, "genpkey", "-algorithm", "SM2", "-out", "sm2.pem");
        await OpenSsl.RunAsync(workDir.Path, "rand", "-out", "sm4.bin", "16");
        await using EmulatorRun emulator = await EmulatorRun.StartAsync(["--urls", "http://127.0.0.1:0", "--region", "cn-north-4"]);
        string endpoint = emulator.Endpoint;
        IReadOnlyDictionary<string, string> env = emulator.Environment;

        async Task<string> OfflineImportAsync(string spec, string name, string[] wrapMaterial, string[] importExtra)
        {
            CliRun created = await CliHarness.RunAsync(["create-key", "--alias", $"offline-{Guid.NewGuid():N}", "--spec", spec, "--endpoint", endpoint], env);
            Assert.That(created.ExitCode, Is.Zero, created.ToString());
            string keyId = created.Output.Trim();
            string dir = Directory.CreateDirectory(workDir.File(name)).FullName;
            CliRun parameters = await CliHarness.RunAsync(["get-parameters", "--key-id", keyId, "--algorithm", "SM2_ENCRYPT", "--out-dir", dir, "--endpoint", endpoint], env);
            Assert.That(parameters.ExitCode, Is.Zero, parameters.ToString());
            CliRun wrap = await CliHarness.RunAsync(["wrap", "--algorithm", "SM2_ENCRYPT", "--wrapping-key", Path.Combine(dir, "PublicKey.bin"), "--out", Path.Combine(dir, "EncryptedKeyMaterial.bin"), .. wrapMaterial.Select(a => a.Replace("{dir}", dir, StringComparison.Ordinal))]);
            Assert.That(wrap.ExitCode, Is.Zero, wrap.ToString());
            CliRun import = await CliHarness.RunAsync(["import", "--key-id", keyId, "--token-file", Path.Combine(dir, "ImportToken.b64"), "--material-file", Path.Combine(dir, "EncryptedKeyMaterial.bin"), .. importExtra.Select(a => a.Replace("{dir}", dir, StringComparison.Ordinal)), "--endpoint", endpoint], env);
            Assert.That(import.ExitCode, Is.Zero, import.ToString());
            CliRun describe = await CliHarness.RunAsync(["describe", "--key-id", keyId, "--endpoint", endpoint], env);
            Assert.That(describe.ExitCode, Is.Zero, describe.ToString());
            return describe.Output;
        }

        string sm4 = await OfflineImportAsync("SM4", "sm4", ["--material", workDir.File("sm4.bin"), "--spec", "SM4"], []);
        string sm2 = await OfflineImportAsync("SM2", "sm2", ["--private-key", workDir.File("sm2.pem"), "--out-private-key", "{dir}/out_sm2_private_key.der"], ["--private-key-file", "{dir}/out_sm2_private_key.der"]);

        Assert.That(sm4, Does.Contain("Enabled"));
        Assert.That(sm2, Does.Contain("Enabled"));

        Assert.That(await emulator.StopAsync(), Is.Zero);
    }
}
