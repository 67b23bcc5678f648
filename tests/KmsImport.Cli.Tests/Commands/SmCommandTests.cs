using System.Security.Cryptography;
using KmsImport.Sdk;
using KmsImport.Sdk.Testing;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace KmsImport.Cli.Tests.Commands;

/// <summary>
/// kms-import with SM2_ENCRYPT: wrap checked by the real openssl (SM2 decryption) and by BouncyCastle's own
/// RFC 5649 over SM4; import-key and import-batch against an emulator served on loopback in a Chinese-region
/// profile; and the legacy algorithms only with --allow-legacy.
/// </summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed class SmCommandTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = new TempDirectory();
        // The service's SM2 wrapping key pair, played by openssl (SM2.pem private, SM2.der the public SPKI), and the user's SM2 key.
        await OpenSsl.RunAsync(_dir.Path, "genpkey", "-algorithm", "SM2", "-out", "SM2.pem");
        await OpenSsl.RunAsync(_dir.Path, "pkey", "-in", "SM2.pem", "-pubout", "-outform", "DER", "-out", "SM2.der");
        await OpenSsl.RunAsync(_dir.Path, "genpkey", "-algorithm", "SM2", "-out", "sm2.pem");
        await OpenSsl.RunAsync(_dir.Path, "pkcs8", "-topk8", "-nocrypt", "-in", "sm2.pem", "-outform", "DER", "-out", "sm2_pkcs8.der");
        await OpenSsl.RunAsync(_dir.Path, "rand", "-out", "sm4.bin", "16");
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task Wrap_Sm4_Under_Sm2Encrypt_Decrypts_With_Openssl_Pkeyutl()
    {
        CliRun run = await CliHarness.RunAsync("wrap", "--algorithm", "SM2_ENCRYPT", "--wrapping-key", _dir.File("SM2.der"), "--material", _dir.File("sm4.bin"), "--spec", "SM4", "--out", _dir.File("EncryptedKeyMaterial.bin"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        await OpenSsl.RunAsync(_dir.Path, "pkeyutl", "-decrypt", "-inkey", "SM2.pem", "-in", "EncryptedKeyMaterial.bin", "-out", "decrypted.bin");
        Assert.That(File.ReadAllBytes(_dir.File("decrypted.bin")), Is.EqualTo(File.ReadAllBytes(_dir.File("sm4.bin"))));
        Assert.That(run.Output, Does.Contain("SM4 material"));
    }

    [Test]
    public async Task Wrap_Sm4_Without_Algorithm_Or_Spec_Chooses_Sm4_And_Sm2Encrypt()
    {
        CliRun run = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("SM2.der"), "--material", _dir.File("sm4.bin"), "--out", _dir.File("EncryptedKeyMaterial.bin"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        await OpenSsl.RunAsync(_dir.Path, "pkeyutl", "-decrypt", "-inkey", "SM2.pem", "-in", "EncryptedKeyMaterial.bin", "-out", "decrypted.bin");
        Assert.That(File.ReadAllBytes(_dir.File("decrypted.bin")), Is.EqualTo(File.ReadAllBytes(_dir.File("sm4.bin"))));
    }

    [Test]
    public async Task Wrap_Sm2_Private_Key_Temporary_Key_Decrypts_With_Openssl_And_Unwraps_To_Openssls_Pkcs8()
    {
        CliRun run = await CliHarness.RunAsync("wrap", "--algorithm", "SM2_ENCRYPT", "--wrapping-key", _dir.File("SM2.der"), "--private-key", _dir.File("sm2.pem"), "--out", _dir.File("enc.bin"), "--out-private-key", _dir.File("wrapped.der"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        await OpenSsl.RunAsync(_dir.Path, "pkeyutl", "-decrypt", "-inkey", "SM2.pem", "-in", "enc.bin", "-out", "temp.bin");
        byte[] temporaryKey = File.ReadAllBytes(_dir.File("temp.bin"));
        Assert.That(temporaryKey, Has.Length.EqualTo(16));

        // BouncyCastle's own RFC 5649 engine over SM4 (default initial value A65959A6) as the independent unwrap.
        var engine = new Rfc5649WrapEngine(new SM4Engine());
        engine.Init(false, new KeyParameter(temporaryKey));
        byte[] wrapped = File.ReadAllBytes(_dir.File("wrapped.der"));
        Assert.That(engine.Unwrap(wrapped, 0, wrapped.Length), Is.EqualTo(File.ReadAllBytes(_dir.File("sm2_pkcs8.der"))));
    }

    [Test]
    public async Task Wrap_Sm4_With_An_Rsa_Wrapping_Key_Under_Sm2Encrypt_Says_What_Is_Wrong()
    {
        await OpenSsl.RunAsync(_dir.Path, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pem");
        await OpenSsl.RunAsync(_dir.Path, "pkey", "-in", "rsa.pem", "-pubout", "-outform", "DER", "-out", "PublicKey.bin");

        CliRun run = await CliHarness.RunAsync("wrap", "--algorithm", "SM2_ENCRYPT", "--wrapping-key", _dir.File("PublicKey.bin"), "--material", _dir.File("sm4.bin"), "--out", _dir.File("EncryptedKeyMaterial.bin"));

        Assert.That(run.ExitCode, Is.Not.Zero);
        Assert.That(run.Error, Does.Contain("SM2_ENCRYPT needs an SM2 wrapping key").And.Contain("RSA-2048"));
        Assert.That(_dir.FileNames(), Does.Not.Contain("EncryptedKeyMaterial.bin"));
    }

    [Test]
    public async Task Wrap_Legacy_Algorithm_Needs_Allow_Legacy_And_Warns()
    {
        await OpenSsl.RunAsync(_dir.Path, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "rsa.pem");
        await OpenSsl.RunAsync(_dir.Path, "pkey", "-in", "rsa.pem", "-pubout", "-outform", "DER", "-out", "PublicKey.bin");
        await OpenSsl.RunAsync(_dir.Path, "rand", "-out", "aes.bin", "32");

        CliRun refused = await CliHarness.RunAsync("wrap", "--algorithm", "RSAES_PKCS1_V1_5", "--wrapping-key", _dir.File("PublicKey.bin"), "--material", _dir.File("aes.bin"), "--out", _dir.File("enc.bin"));
        Assert.That(refused.ExitCode, Is.Not.Zero);
        Assert.That(refused.Error, Does.Contain("legacy").And.Contain("--allow-legacy"));

        CliRun allowed = await CliHarness.RunAsync("wrap", "--algorithm", "RSAES_PKCS1_V1_5", "--allow-legacy", "--wrapping-key", _dir.File("PublicKey.bin"), "--material", _dir.File("aes.bin"), "--out", _dir.File("enc.bin"));
        Assert.That(allowed.ExitCode, Is.Zero, allowed.ToString());
        Assert.That(allowed.Error, Does.Contain("warning").And.Contain("RSAES_PKCS1_V1_5"));
        await OpenSsl.RunAsync(_dir.Path, "pkeyutl", "-decrypt", "-inkey", "rsa.pem", "-in", "enc.bin", "-out", "decrypted.bin", "-pkeyopt", "rsa_padding_mode:pkcs1");
        Assert.That(File.ReadAllBytes(_dir.File("decrypted.bin")), Is.EqualTo(File.ReadAllBytes(_dir.File("aes.bin"))));
    }

    [Test]
    public async Task Import_Key_And_Import_Batch_Of_Sm_Material_Against_A_Chinese_Region_Emulator()
    {
        using var kms = new LocalKms(new LocalKmsOptions { Capabilities = KmsCapabilities.HuaweiChineseRegions, Realm = "cn-north-4" });
        await using LocalKmsServer server = await LocalKmsServer.StartAsync(new LocalKmsServerOptions { Emulator = kms });
        Dictionary<string, string> env = server.CliEnvironment();
        string endpoint = server.Endpoint();

        async Task<string> CreateKeyAsync(string spec)
        {
            CliRun created = await CliHarness.RunAsync(["create-key", "--alias", $"sm-{Guid.NewGuid():N}", "--spec", spec, "--endpoint", endpoint], env);
            Assert.That(created.ExitCode, Is.Zero, created.ToString());
            return created.Output.Trim();
        }

        string sm4Key = await CreateKeyAsync("SM4");
        string sm2Key = await CreateKeyAsync("SM2");
        CliRun sm4Run = await CliHarness.RunAsync(["import-key", "--key-id", sm4Key, "--material", _dir.File("sm4.bin"), "--endpoint", endpoint], env);
        CliRun sm2Run = await CliHarness.RunAsync(["import-key", "--key-id", sm2Key, "--private-key", _dir.File("sm2.pem"), "--endpoint", endpoint], env);
        Assert.Multiple(() =>
        {
            Assert.That(sm4Run.ExitCode, Is.Zero, sm4Run.ToString());
            Assert.That(sm2Run.ExitCode, Is.Zero, sm2Run.ToString());
            Assert.That(kms.GetImportedMaterialFingerprint(sm4Key), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_dir.File("sm4.bin"))))));
            Assert.That(kms.GetImportedMaterialFingerprint(sm2Key), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_dir.File("sm2_pkcs8.der"))))));
        });

        string batchSm4 = await CreateKeyAsync("SM4");
        string batchSm2 = await CreateKeyAsync("SM2");
        await OpenSsl.RunAsync(_dir.Path, "rand", "-out", "sm4b.bin", "16");
        await OpenSsl.RunAsync(_dir.Path, "genpkey", "-algorithm", "SM2", "-out", "sm2b.pem");
        File.WriteAllText(_dir.File("manifest.json"), $$"""
            {"keys": [
              {"keyId": "{{batchSm4}}", "material": "sm4b.bin", "spec": "SM4"},
              {"keyId": "{{batchSm2}}", "privateKey": "sm2b.pem"}
            ]}
            """);
        CliRun batch = await CliHarness.RunAsync(["import-batch", "--manifest", _dir.File("manifest.json"), "--endpoint", endpoint], env);
        Assert.That(batch.ExitCode, Is.Zero, batch.ToString());
        Assert.That(kms.GetImportedMaterialFingerprint(batchSm4), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(_dir.File("sm4b.bin"))))));
        Assert.That(kms.GetImportedMaterialFingerprint(batchSm2), Is.Not.Null);
    }
}
