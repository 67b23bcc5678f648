using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace KmsImport.Cli.Tests.Commands;

// list-keys, get-public-key and the import confirmation, against the served emulator.
public sealed partial class ServedEmulatorTests
{
    [Test]
    public async Task Import_Key_Of_A_Private_Key_Prints_That_The_Public_Key_Matches()
    {
        string keyId = await CreateKeyAsync("EC_P256");
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] pem = Encoding.ASCII.GetBytes(ec.ExportPkcs8PrivateKeyPem());

        CliRun run = await CliHarness.RunAsync(["import-key", "--key-id", keyId, "--private-key", "-", "--endpoint", Endpoint], _env, standardInput: pem);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("confirmed by:     public key matches"));
        Assert.That(run.Output, Does.Contain($"public key:       sha256:{Sha256(ec.ExportSubjectPublicKeyInfo())}"));
        Assert.That(run.Output, Does.Contain($"fingerprint:      sha256:{Sha256(ec.ExportPkcs8PrivateKey())}"));
    }

    [Test]
    public async Task Import_Key_Json_Of_Symmetric_Material_Says_The_Service_Accepted_It()
    {
        string keyId = await CreateKeyAsync();
        File.WriteAllBytes(_dir.File("aes.bin"), RandomNumberGenerator.GetBytes(32));

        CliRun run = await Kms("import-key", "--key-id", keyId, "--material", _dir.File("aes.bin"), "--json");

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        using JsonDocument document = JsonDocument.Parse(run.Output);
        Assert.That(document.RootElement.GetProperty("confirmation").GetString(), Is.EqualTo("ServiceAccepted"));
        Assert.That(document.RootElement.GetProperty("confirmation_description").GetString(), Is.EqualTo("service accepted the import"));
    }

    [Test]
    public async Task List_Keys_Shows_Every_Spec_And_Filters_By_State()
    {
        string aes = await CreateKeyAsync();
        string rsa = await CreateKeyAsync("RSA_2048");

        CliRun all = await Kms("list-keys");
        CliRun pendingJson = await Kms("list-keys", "--state", "PendingImport", "--json");
        CliRun enabledJson = await Kms("list-keys", "--state", "enabled", "--json");

        Assert.That(all.ExitCode, Is.Zero, all.ToString());
        Assert.That(all.Output, Does.Contain(aes).And.Contain(rsa).And.Contain("RSA_2048").And.Contain("PendingImport"));
        using JsonDocument pending = JsonDocument.Parse(pendingJson.Output);
        string[] pendingIds = [.. pending.RootElement.EnumerateArray().Select(e => e.GetProperty("key_id").GetString()!)];
        Assert.That(pendingIds, Does.Contain(aes).And.Contain(rsa));
        using JsonDocument enabled = JsonDocument.Parse(enabledJson.Output);
        Assert.That(enabled.RootElement.EnumerateArray().Select(e => e.GetProperty("key_state").GetString()), Is.All.EqualTo("Enabled"));
    }

    [Test]
    public async Task List_Keys_Refuses_An_Unknown_State_With_Exit_Code_2()
    {
        CliRun run = await Kms("list-keys", "--state", "Frozen");

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--state Frozen"));
    }

    [Test]
    public async Task Get_Public_Key_Writes_A_Pem_That_Openssl_Reads_And_Refuses_Symmetric_Keys()
    {
        string keyId = await CreateKeyAsync("RSA_2048");
        using var rsa = RSA.Create(2048);
        byte[] pem = Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem());
        CliRun import = await CliHarness.RunAsync(["import-key", "--key-id", keyId, "--private-key", "-", "--endpoint", Endpoint], _env, standardInput: pem);
        Assert.That(import.ExitCode, Is.Zero, import.ToString());

        CliRun run = await Kms("get-public-key", "--key-id", keyId, "--out", _dir.File("kms_public.pem"));
        CliRun toStdout = await Kms("get-public-key", "--key-id", keyId);
        string modulus = await OpenSsl.RunAsync(_dir.Path, "rsa", "-pubin", "-in", "kms_public.pem", "-noout", "-modulus");
        CliRun symmetric = await Kms("get-public-key", "--key-id", await CreateKeyAsync());

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Error, Does.Contain($"sha256:{Sha256(rsa.ExportSubjectPublicKeyInfo())}"));
        Assert.That(toStdout.Output, Is.EqualTo(rsa.ExportSubjectPublicKeyInfoPem() + "\n"));
        Assert.That(modulus.Trim(), Is.EqualTo("Modulus=" + Convert.ToHexString(rsa.ExportParameters(false).Modulus!)));
        Assert.That(symmetric.ExitCode, Is.EqualTo(1), symmetric.ToString());
        Assert.That(symmetric.Error, Does.Contain("asymmetric keys only"));
    }
}
