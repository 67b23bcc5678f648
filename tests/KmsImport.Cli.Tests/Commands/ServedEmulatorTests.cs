using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using KmsImport.Sdk.Testing;

namespace KmsImport.Cli.Tests.Commands;

/// <summary>Every KMS command of kms-import, in process, against the emulator served on loopback (real HTTP, real signatures).</summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed partial class ServedEmulatorTests
{
    private LocalKmsServer _server = null!;
    private Dictionary<string, string> _env = null!;
    private TempDirectory _dir = null!;

    private string Endpoint => _server.Endpoint();

    [OneTimeSetUp]
    public async Task StartServer()
    {
        _server = await LocalKmsServer.StartAsync(new LocalKmsServerOptions { AuthTokens = { ["iam-token-for-tests-never-printed"] = DateTimeOffset.UtcNow.AddHours(1) } });
        _env = _server.CliEnvironment();
    }

    [OneTimeTearDown]
    public async Task StopServer() => await _server.DisposeAsync();

    [SetUp]
    public void SetUp() => _dir = new TempDirectory();

    [TearDown]
    public void TearDown() => _dir.Dispose();

    private async Task<CliRun> Kms(params string[] args)
    {
        CliRun run = await CliHarness.RunAsync([.. args, "--endpoint", Endpoint], _env);
        Assert.That(run.All, Does.Not.Contain(_server.SecretKey), "the SK never appears in output");
        return run;
    }

    private async Task<string> CreateKeyAsync(string spec = "AES_256")
    {
        CliRun run = await Kms("create-key", "--alias", $"t-{Guid.NewGuid():N}", "--spec", spec);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        return run.Output.Trim();
    }

    private async Task GetParametersAsync(string keyId)
    {
        CliRun run = await Kms("get-parameters", "--key-id", keyId, "--out-dir", _dir.Path);
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
    }

    private static string Sha256(byte[] bytes) => Convert.ToHexStringLower(SHA256.HashData(bytes));

    [Test]
    public async Task Create_Key_Prints_The_Id_And_Describe_Shows_Pending_Import()
    {
        string keyId = await CreateKeyAsync();
        Assert.That(keyId, Does.Match("^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$"));

        CliRun describe = await Kms("describe", "--key-id", keyId);
        Assert.That(describe.ExitCode, Is.Zero, describe.ToString());
        Assert.That(describe.Output, Does.Contain("PendingImport").And.Contain("AES_256").And.Contain("external"));

        CliRun json = await Kms("describe", "--key-id", keyId, "--json");
        using var document = System.Text.Json.JsonDocument.Parse(json.Output);
        Assert.That(document.RootElement.GetProperty("key_id").GetString(), Is.EqualTo(keyId));
        Assert.That(document.RootElement.GetProperty("key_state").GetString(), Is.EqualTo("PendingImport"));
    }

    [Test]
    public async Task Create_Key_Json_Has_The_Key_Id()
    {
        CliRun run = await Kms("create-key", "--alias", "json-key", "--spec", "HMAC_256", "--json");
        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        using var document = System.Text.Json.JsonDocument.Parse(run.Output);
        Assert.That(document.RootElement.GetProperty("key_spec").GetString(), Is.EqualTo("HMAC_256"));
    }

    [Test]
    public async Task Get_Parameters_Writes_The_Guides_Three_Files_And_The_Expiry()
    {
        string keyId = await CreateKeyAsync();

        CliRun run = await Kms("get-parameters", "--key-id", keyId, "--out-dir", _dir.Path);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(_dir.FileNames(), Is.EqualTo(new[] { "ImportToken.b64", "PublicKey.b64", "PublicKey.bin" }));
        Assert.That(File.ReadAllBytes(_dir.File("PublicKey.bin")), Is.EqualTo(Convert.FromBase64String(File.ReadAllText(_dir.File("PublicKey.b64")))));
        Assert.That(run.Output, Does.Match(@"expires \d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z"));
        Assert.That(run.Output, Does.Not.Contain(File.ReadAllText(_dir.File("ImportToken.b64"))), "the token goes to its file only");
    }

    [Test]
    public async Task Guide_Openssl_Symmetric_Files_Import_With_Kms_Import_Import()
    {
        string keyId = await CreateKeyAsync();
        await GetParametersAsync(keyId);
        // The console guide's commands, verbatim.
        await OpenSsl.RunAsync(_dir.Path, "rand", "-out", "PlaintextKeyMaterial.bin", "32");
        await OpenSsl.RunAsync(_dir.Path, "pkeyutl", "-in", "PlaintextKeyMaterial.bin", "-inkey", "PublicKey.bin", "-out", "EncryptedKeyMaterial.bin", "-keyform", "der", "-pubin", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256");

        CliRun run = await Kms("import", "--key-id", keyId, "--token-file", _dir.File("ImportToken.b64"), "--material-file", _dir.File("EncryptedKeyMaterial.bin"), "--expires", "30d");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(_server.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(Sha256(File.ReadAllBytes(_dir.File("PlaintextKeyMaterial.bin")))));
        CliRun describe = await Kms("describe", "--key-id", keyId);
        Assert.That(describe.Output, Does.Contain("Enabled"));
        Assert.That(describe.Output, Does.Not.Contain("material expires:   never"));
    }

    [Test]
    public async Task Guide_Openssl_Private_Key_Files_Import_With_Kms_Import_Import()
    {
        string keyId = await CreateKeyAsync("RSA_2048");
        await GetParametersAsync(keyId);
        await OpenSsl.RunAsync(_dir.Path, "genrsa", "-out", "pkcs1_rsa_private_key.pem", "2048");
        await OpenSsl.RunAsync(_dir.Path, "pkcs8", "-topk8", "-inform", "PEM", "-in", "pkcs1_rsa_private_key.pem", "-outform", "pem", "-nocrypt", "-out", "rsa_private_key.pem");
        await OpenSsl.RunAsync(_dir.Path, "pkcs8", "-topk8", "-inform", "PEM", "-outform", "DER", "-in", "rsa_private_key.pem", "-out", "rsa_private_key.der", "-nocrypt");
        await OpenSsl.RunAsync(_dir.Path, "rand", "-out", "0xPlaintextKeyMaterial.bin", "-hex", "32");
        string hex = File.ReadAllText(_dir.File("0xPlaintextKeyMaterial.bin")).Trim();
        File.WriteAllBytes(_dir.File("PlaintextKeyMaterial.bin"), Convert.FromHexString(hex)); // xxd -r -ps
        await OpenSsl.RunAsync(_dir.Path, "pkeyutl", "-in", "PlaintextKeyMaterial.bin", "-inkey", "PublicKey.bin", "-out", "EncryptedKeyMaterial.bin", "-keyform", "der", "-pubin", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256");
        await OpenSsl.RunAsync(_dir.Path, "enc", "-id-aes256-wrap-pad", "-K", hex, "-iv", "A65959A6", "-in", "rsa_private_key.der", "-out", "out_rsa_private_key.der");

        CliRun run = await Kms("import", "--key-id", keyId, "--token-file", _dir.File("ImportToken.b64"), "--material-file", _dir.File("EncryptedKeyMaterial.bin"), "--private-key-file", _dir.File("out_rsa_private_key.der"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(_server.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(Sha256(File.ReadAllBytes(_dir.File("rsa_private_key.der")))));
        Assert.That(run.All, Does.Not.Contain(hex).IgnoreCase);
    }

    [Test]
    public async Task Wrap_Then_Import_Is_The_Guide_Without_Openssl()
    {
        string keyId = await CreateKeyAsync("EC_P256");
        await GetParametersAsync(keyId);
        await OpenSsl.RunAsync(_dir.Path, "ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec.pem");

        CliRun wrap = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("PublicKey.b64"), "--private-key", _dir.File("ec.pem"),
            "--out", _dir.File("EncryptedKeyMaterial.bin"), "--out-private-key", _dir.File("out_ec_private_key.der"));
        Assert.That(wrap.ExitCode, Is.Zero, wrap.ToString());
        CliRun run = await Kms("import", "--key-id", keyId, "--token-file", _dir.File("ImportToken.b64"), "--material-file", _dir.File("EncryptedKeyMaterial.bin"), "--private-key-file", _dir.File("out_ec_private_key.der"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        string fingerprint = FingerprintPattern().Match(wrap.Output).Groups[1].Value;
        Assert.That(_server.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(fingerprint));
    }

    [Test]
    public async Task Import_Key_Symmetric_Reads_The_Spec_From_The_Key_And_Prints_The_Fingerprint()
    {
        string keyId = await CreateKeyAsync("HMAC_256");
        byte[] material = RandomNumberGenerator.GetBytes(32);
        File.WriteAllBytes(_dir.File("hmac.bin"), material);

        CliRun run = await Kms("import-key", "--key-id", keyId, "--material", _dir.File("hmac.bin"), "--expires", "2099-01-01T00:00:00Z", "--json");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        using var document = System.Text.Json.JsonDocument.Parse(run.Output);
        Assert.That(document.RootElement.GetProperty("material_fingerprint_sha256").GetString(), Is.EqualTo(Sha256(material)));
        Assert.That(document.RootElement.GetProperty("material_expires").GetString(), Is.EqualTo("2099-01-01T00:00:00Z"));
        Assert.That(_server.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(Sha256(material)));
        Assert.That(_dir.FileNames(), Is.EqualTo(new[] { "hmac.bin" }), "import-key writes nothing");
    }

    [Test]
    public async Task Import_Key_Private_Key_From_Standard_Input()
    {
        string keyId = await CreateKeyAsync("RSA_3072");
        using var rsa = RSA.Create(3072);
        byte[] pem = Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem());

        CliRun run = await CliHarness.RunAsync(["import-key", "--key-id", keyId, "--private-key", "-", "--endpoint", Endpoint], _env, standardInput: pem);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(_server.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(Sha256(rsa.ExportPkcs8PrivateKey())));
        Assert.That(run.Output, Does.Contain("Enabled"));
    }

    [Test]
    public async Task Delete_Material_Then_Only_The_Same_Material_Imports_Again()
    {
        string keyId = await CreateKeyAsync();
        File.WriteAllBytes(_dir.File("aes.bin"), RandomNumberGenerator.GetBytes(32));
        File.WriteAllBytes(_dir.File("other.bin"), RandomNumberGenerator.GetBytes(32));
        Assert.That((await Kms("import-key", "--key-id", keyId, "--material", _dir.File("aes.bin"))).ExitCode, Is.Zero);

        CliRun delete = await Kms("delete-material", "--key-id", keyId);
        Assert.That(delete.ExitCode, Is.Zero, delete.ToString());
        Assert.That((await Kms("describe", "--key-id", keyId)).Output, Does.Contain("PendingImport"));

        CliRun other = await Kms("import-key", "--key-id", keyId, "--material", _dir.File("other.bin"));
        Assert.That(other.ExitCode, Is.EqualTo(1), other.ToString());
        Assert.That(other.Error, Does.Contain("KMS.2606"));

        CliRun same = await Kms("import-key", "--key-id", keyId, "--material", _dir.File("aes.bin"));
        Assert.That(same.ExitCode, Is.Zero, same.ToString());
    }

    [Test]
    public async Task Import_Batch_Reports_Each_Key_And_Exits_1_When_One_Failed()
    {
        string aes = await CreateKeyAsync();
        string rsaKey = await CreateKeyAsync("RSA_2048");
        string alreadyImported = await CreateKeyAsync();
        string hmac = await CreateKeyAsync("HMAC_256");
        const string Missing = "00000000-0000-0000-0000-000000000000";
        File.WriteAllBytes(_dir.File("aes.bin"), RandomNumberGenerator.GetBytes(32));
        File.WriteAllBytes(_dir.File("hmac.bin"), RandomNumberGenerator.GetBytes(32));
        File.WriteAllBytes(_dir.File("taken.bin"), RandomNumberGenerator.GetBytes(32));
        File.WriteAllBytes(_dir.File("hmac384.bin"), RandomNumberGenerator.GetBytes(48));
        using (var rsa = RSA.Create(2048))
        {
            File.WriteAllText(_dir.File("rsa.pem"), rsa.ExportRSAPrivateKeyPem());
        }

        Assert.That((await Kms("import-key", "--key-id", alreadyImported, "--material", _dir.File("taken.bin"))).ExitCode, Is.Zero);
        File.WriteAllText(_dir.File("keys.json"), $$"""
            { "maxConcurrency": 2, "keys": [
              { "keyId": "{{aes}}", "material": "aes.bin", "expires": "7d" },
              { "keyId": "{{rsaKey}}", "privateKey": "rsa.pem" },
              { "keyId": "{{alreadyImported}}", "material": "taken.bin" },
              { "keyId": "{{hmac}}", "material": "hmac.bin" },
              { "keyId": "{{Missing}}", "material": "hmac384.bin" }
            ] }
            """);

        CliRun run = await Kms("import-batch", "--manifest", _dir.File("keys.json"));

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Does.Contain("[5/5]").And.Contain("3 imported, 1 already imported, 0 skipped, 1 failed"));
        string[] lines = run.Output.Trim().Split('\n');
        Assert.That(lines, Has.Length.EqualTo(6));
        Assert.That(lines[1], Does.StartWith(aes).And.Contain(" ok "));
        Assert.That(lines[2], Does.StartWith(rsaKey).And.Contain(" ok "));
        Assert.That(lines[3], Does.StartWith(alreadyImported).And.Contain("already").And.Contain("unverified"), "found Enabled: already imported, not a failure");
        Assert.That(lines[4], Does.StartWith(hmac).And.Contain(" ok "), "32 bytes without a spec take the key's spec (HMAC_256)");
        Assert.That(lines[5], Does.StartWith(Missing).And.Contain("failed").And.Contain("KMS.0207"));
        Assert.That(_server.Kms.GetImportCount(aes), Is.EqualTo(1));
        Assert.That(_server.Kms.GetImportCount(rsaKey), Is.EqualTo(1));
        Assert.That(_server.Kms.GetImportCount(alreadyImported), Is.EqualTo(1));
    }

    [Test]
    public async Task Import_Batch_With_A_Bad_File_Sends_Nothing_And_Exits_2()
    {
        string aes = await CreateKeyAsync();
        File.WriteAllBytes(_dir.File("aes.bin"), RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(_dir.File("keys.json"), $$"""{ "keys": [ { "keyId": "{{aes}}", "material": "aes.bin" }, { "keyId": "x", "material": "missing.bin" } ] }""");

        CliRun run = await Kms("import-batch", "--manifest", _dir.File("keys.json"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("missing.bin"));
        Assert.That(_server.Kms.GetImportCount(aes), Is.Zero);
    }

    [Test]
    public async Task Service_Error_Exits_1_With_Code_And_Request_Id_On_One_Line()
    {
        CliRun run = await Kms("describe", "--key-id", "00000000-0000-0000-0000-000000000000");

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Does.StartWith("error: ").And.Contain("KMS.0207").And.Contain("request id"));
        Assert.That(run.Error.TrimEnd().Split('\n'), Has.Length.EqualTo(1));
    }

    [Test]
    public async Task Verbose_Adds_The_Stack_Trace()
    {
        CliRun run = await Kms("describe", "--key-id", "00000000-0000-0000-0000-000000000000", "--verbose");
        Assert.That(run.ExitCode, Is.EqualTo(1));
        Assert.That(run.Error, Does.Contain("   at "));
    }

    [Test]
    public async Task Wrong_Secret_Key_Exits_1_With_Apig_0301_And_Never_Prints_The_Key()
    {
        var env = new Dictionary<string, string>(_env) { ["HUAWEICLOUD_SDK_SK"] = "wrong-secret-key-value-1234567890" };

        CliRun run = await CliHarness.RunAsync(["describe", "--key-id", "00000000-0000-0000-0000-000000000000", "--endpoint", Endpoint, "--verbose"], env);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Does.Contain("APIG.0301"));
        Assert.That(run.All, Does.Not.Contain("wrong-secret-key-value"));
    }

    [Test]
    public async Task Auth_Token_File_Authenticates_And_Is_Never_Printed()
    {
        string keyId = await CreateKeyAsync();
        File.WriteAllText(_dir.File("token.txt"), "iam-token-for-tests-never-printed\n");
        var env = new Dictionary<string, string> { ["HUAWEICLOUD_SDK_PROJECT_ID"] = _server.ProjectId };

        CliRun run = await CliHarness.RunAsync(["describe", "--key-id", keyId, "--endpoint", Endpoint, "--auth-token-file", _dir.File("token.txt"), "--verbose"], env);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.All, Does.Not.Contain("iam-token-for-tests"));
    }

    [Test]
    public async Task Network_Failure_Exits_1()
    {
        CliRun run = await CliHarness.RunAsync(["describe", "--key-id", "00000000-0000-0000-0000-000000000000", "--endpoint", "http://127.0.0.1:1"], _env);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Does.StartWith("error: "));
    }

    [Test]
    public async Task Get_Parameters_Failure_Leaves_No_File()
    {
        CliRun run = await Kms("get-parameters", "--key-id", "00000000-0000-0000-0000-000000000000", "--out-dir", _dir.Path);

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(Directory.GetFileSystemEntries(_dir.Path), Is.Empty);
    }

    [Test]
    public async Task Import_With_Another_Keys_Token_Exits_1_And_Leaves_The_Key_Pending()
    {
        string keyA = await CreateKeyAsync();
        string keyB = await CreateKeyAsync();
        await GetParametersAsync(keyA);
        File.WriteAllBytes(_dir.File("aes.bin"), RandomNumberGenerator.GetBytes(32));
        Assert.That((await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("PublicKey.bin"), "--material", _dir.File("aes.bin"), "--out", _dir.File("EncryptedKeyMaterial.bin"))).ExitCode, Is.Zero);

        CliRun run = await Kms("import", "--key-id", keyB, "--token-file", _dir.File("ImportToken.b64"), "--material-file", _dir.File("EncryptedKeyMaterial.bin"));

        Assert.That(run.ExitCode, Is.EqualTo(1), run.ToString());
        Assert.That(run.Error, Does.Contain("KMS.2603"));
        Assert.That(run.All, Does.Not.Contain(File.ReadAllText(_dir.File("ImportToken.b64"))));
        Assert.That(_server.Kms.GetImportCount(keyB), Is.Zero);
    }

    [Test]
    public async Task Expiry_In_The_Past_Exits_2_Before_Anything_Is_Sent()
    {
        string keyId = await CreateKeyAsync();
        File.WriteAllBytes(_dir.File("aes.bin"), RandomNumberGenerator.GetBytes(32));
        int before = _server.GetRequestCount("get-parameters-for-import");

        CliRun run = await Kms("import-key", "--key-id", keyId, "--material", _dir.File("aes.bin"), "--expires", "2020-01-01T00:00:00Z");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(_server.GetRequestCount("get-parameters-for-import"), Is.EqualTo(before));
    }

    [GeneratedRegex("fingerprint ([0-9a-f]{64})")]
    private static partial Regex FingerprintPattern();
}
