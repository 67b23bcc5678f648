using System.Security.Cryptography;

namespace KmsImport.Cli.Tests.Commands;

/// <summary>kms-import wrap produces exactly what the guide's openssl commands produce: the real openssl unwraps it.</summary>
[TestFixture]
[CancelAfter(120_000)]
public sealed class WrapCommandTests
{
    private TempDirectory _dir = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = new TempDirectory();
        // The service's wrapping key pair, played by openssl; PublicKey.bin as the guide has it.
        await OpenSsl.RunAsync(_dir.Path, "genpkey", "-algorithm", "RSA", "-pkeyopt", "rsa_keygen_bits:2048", "-out", "wrapping_private.pem");
        await OpenSsl.RunAsync(_dir.Path, "pkey", "-in", "wrapping_private.pem", "-pubout", "-outform", "DER", "-out", "PublicKey.bin");
    }

    [TearDown]
    public void TearDown() => _dir.Dispose();

    [Test]
    public async Task Wrap_Symmetric_Material_Decrypts_With_Openssl_Pkeyutl()
    {
        await OpenSsl.RunAsync(_dir.Path, "rand", "-out", "PlaintextKeyMaterial.bin", "32");

        CliRun run = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("PublicKey.bin"), "--material", _dir.File("PlaintextKeyMaterial.bin"), "--out", _dir.File("EncryptedKeyMaterial.bin"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(_dir.FileNames(), Does.Not.Contain("out_rsa_private_key.der"));
        await OpenSsl.RunAsync(_dir.Path, "pkeyutl", "-decrypt", "-inkey", "wrapping_private.pem", "-in", "EncryptedKeyMaterial.bin", "-out", "Decrypted.bin", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256");
        byte[] plaintext = File.ReadAllBytes(_dir.File("PlaintextKeyMaterial.bin"));
        Assert.That(File.ReadAllBytes(_dir.File("Decrypted.bin")), Is.EqualTo(plaintext));
        Assert.That(run.Output, Does.Contain(Convert.ToHexStringLower(SHA256.HashData(plaintext))));
        Assert.That(run.All, Does.Not.Contain(Convert.ToHexStringLower(plaintext)).IgnoreCase);
    }

    [Test]
    public async Task Wrap_Without_Spec_Refuses_Base64_Of_48_Bytes_Written_Without_A_Newline_Instead_Of_Taking_It_For_Hmac_512()
    {
        // openssl rand -base64 48, newline removed: 64 Base64 characters, which are also 64 raw bytes.
        byte[] material = RandomNumberGenerator.GetBytes(48);
        File.WriteAllText(_dir.File("material.b64"), Convert.ToBase64String(material));

        CliRun ambiguous = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("PublicKey.bin"), "--material", _dir.File("material.b64"), "--out", _dir.File("EncryptedKeyMaterial.bin"));
        CliRun withSpec = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("PublicKey.bin"), "--material", _dir.File("material.b64"), "--spec", "HMAC_384", "--out", _dir.File("EncryptedKeyMaterial.bin"));

        Assert.Multiple(() =>
        {
            Assert.That(ambiguous.ExitCode, Is.Not.Zero);
            Assert.That(ambiguous.Error, Does.Contain("Base64").And.Contain("--spec").And.Contain("material.b64"));
            Assert.That(withSpec.ExitCode, Is.Zero, withSpec.ToString());
        });
        await OpenSsl.RunAsync(_dir.Path, "pkeyutl", "-decrypt", "-inkey", "wrapping_private.pem", "-in", "EncryptedKeyMaterial.bin", "-out", "Decrypted.bin", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256");
        Assert.That(File.ReadAllBytes(_dir.File("Decrypted.bin")), Is.EqualTo(material), "with --spec HMAC_384 the file is Base64 of the material");
    }

    [TestCase("PublicKey.b64")]
    [TestCase("PublicKey.pem")]
    [TestCase("wrappingKey_0d0466b0-e727-4d9c-b35d-f84bb474a37f")]
    public async Task Wrap_Accepts_Every_Form_Of_The_Wrapping_Key(string name)
    {
        switch (name)
        {
            case "PublicKey.b64":
                await OpenSsl.RunAsync(_dir.Path, "base64", "-A", "-in", "PublicKey.bin", "-out", name);
                break;
            case "PublicKey.pem":
                await OpenSsl.RunAsync(_dir.Path, "pkey", "-in", "wrapping_private.pem", "-pubout", "-out", name);
                break;
            default:
                File.Copy(_dir.File("PublicKey.bin"), _dir.File(name));
                break;
        }

        await OpenSsl.RunAsync(_dir.Path, "rand", "-out", "PlaintextKeyMaterial.bin", "32");

        CliRun run = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File(name), "--material", _dir.File("PlaintextKeyMaterial.bin"), "--out", _dir.File("EncryptedKeyMaterial.bin"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        await OpenSsl.RunAsync(_dir.Path, "pkeyutl", "-decrypt", "-inkey", "wrapping_private.pem", "-in", "EncryptedKeyMaterial.bin", "-out", "Decrypted.bin", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256");
        Assert.That(File.ReadAllBytes(_dir.File("Decrypted.bin")), Is.EqualTo(File.ReadAllBytes(_dir.File("PlaintextKeyMaterial.bin"))));
    }

    [Test]
    public async Task Wrap_Private_Key_Unwraps_With_Openssl_Enc_Wrap_Pad()
    {
        await OpenSsl.RunAsync(_dir.Path, "genrsa", "-out", "pkcs1_rsa_private_key.pem", "2048");
        await OpenSsl.RunAsync(_dir.Path, "pkcs8", "-topk8", "-inform", "PEM", "-in", "pkcs1_rsa_private_key.pem", "-outform", "DER", "-nocrypt", "-out", "rsa_private_key.der");

        CliRun run = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("PublicKey.bin"), "--private-key", _dir.File("pkcs1_rsa_private_key.pem"),
            "--out", _dir.File("EncryptedKeyMaterial.bin"), "--out-private-key", _dir.File("out_rsa_private_key.der"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        await OpenSsl.RunAsync(_dir.Path, "pkeyutl", "-decrypt", "-inkey", "wrapping_private.pem", "-in", "EncryptedKeyMaterial.bin", "-out", "TemporaryKey.bin", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256");
        byte[] temporaryKey = File.ReadAllBytes(_dir.File("TemporaryKey.bin"));
        Assert.That(temporaryKey, Has.Length.EqualTo(32));
        await OpenSsl.RunAsync(_dir.Path, "enc", "-d", "-id-aes256-wrap-pad", "-K", Convert.ToHexString(temporaryKey), "-iv", "A65959A6", "-in", "out_rsa_private_key.der", "-out", "unwrapped.der");
        using var expected = RSA.Create();
        expected.ImportPkcs8PrivateKey(File.ReadAllBytes(_dir.File("rsa_private_key.der")), out _);
        using var actual = RSA.Create();
        actual.ImportPkcs8PrivateKey(File.ReadAllBytes(_dir.File("unwrapped.der")), out _);
        Assert.That(actual.ExportParameters(true).D, Is.EqualTo(expected.ExportParameters(true).D));
    }

    [Test]
    public async Task Wrap_Encrypted_Pkcs8_Private_Key_With_Password_File()
    {
        await OpenSsl.RunAsync(_dir.Path, "genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256", "-out", "ec.pem");
        File.WriteAllText(_dir.File("password.txt"), "correct horse battery staple\n");
        await OpenSsl.RunAsync(_dir.Path, "pkcs8", "-topk8", "-in", "ec.pem", "-outform", "DER", "-v2", "aes-256-cbc", "-passout", "file:password.txt", "-out", "ec_encrypted.der");

        CliRun run = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("PublicKey.bin"), "--private-key", _dir.File("ec_encrypted.der"), "--password-file", _dir.File("password.txt"),
            "--out", _dir.File("EncryptedKeyMaterial.bin"), "--out-private-key", _dir.File("out_ec_private_key.der"));

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        Assert.That(run.Output, Does.Contain("EC_P256"));
        Assert.That(run.All, Does.Not.Contain("correct horse"));
        Assert.That(_dir.FileNames(), Does.Contain("out_ec_private_key.der"));
    }

    [Test]
    public async Task Wrap_Reads_Material_From_Standard_Input()
    {
        byte[] material = RandomNumberGenerator.GetBytes(32);

        CliRun run = await CliHarness.RunAsync(["wrap", "--wrapping-key", _dir.File("PublicKey.bin"), "--material", "-", "--out", _dir.File("EncryptedKeyMaterial.bin")], standardInput: material);

        Assert.That(run.ExitCode, Is.Zero, run.ToString());
        await OpenSsl.RunAsync(_dir.Path, "pkeyutl", "-decrypt", "-inkey", "wrapping_private.pem", "-in", "EncryptedKeyMaterial.bin", "-out", "Decrypted.bin", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256");
        Assert.That(File.ReadAllBytes(_dir.File("Decrypted.bin")), Is.EqualTo(material));
    }

    [Test]
    public async Task Wrap_Wrong_Password_Exits_2_And_Writes_Nothing()
    {
        await OpenSsl.RunAsync(_dir.Path, "genrsa", "-out", "rsa.pem", "2048");
        File.WriteAllText(_dir.File("password.txt"), "right\n");
        File.WriteAllText(_dir.File("wrong.txt"), "wrong\n");
        await OpenSsl.RunAsync(_dir.Path, "pkcs8", "-topk8", "-in", "rsa.pem", "-v2", "aes-256-cbc", "-passout", "file:password.txt", "-out", "rsa_encrypted.pem");
        string[] before = _dir.FileNames();

        CliRun run = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("PublicKey.bin"), "--private-key", _dir.File("rsa_encrypted.pem"), "--password-file", _dir.File("wrong.txt"),
            "--out", _dir.File("EncryptedKeyMaterial.bin"), "--out-private-key", _dir.File("out_rsa_private_key.der"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--private-key").And.Contain("password is wrong"));
        Assert.That(run.Error.Trim().Split('\n'), Has.Length.EqualTo(1), "one line, no stack trace");
        Assert.That(_dir.FileNames(), Is.EqualTo(before), "no partial output");
    }

    [Test]
    public async Task Wrap_Encrypted_Key_Without_Password_Says_So()
    {
        await OpenSsl.RunAsync(_dir.Path, "genrsa", "-out", "rsa.pem", "2048");
        File.WriteAllText(_dir.File("password.txt"), "pw\n");
        await OpenSsl.RunAsync(_dir.Path, "pkcs8", "-topk8", "-in", "rsa.pem", "-v2", "aes-256-cbc", "-passout", "file:password.txt", "-out", "rsa_encrypted.pem");

        CliRun run = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("PublicKey.bin"), "--private-key", _dir.File("rsa_encrypted.pem"), "--out", _dir.File("x.bin"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--password-file"));
    }

    [Test]
    public async Task Wrap_Wrong_Material_Length_Exits_2_And_Writes_Nothing()
    {
        File.WriteAllBytes(_dir.File("short.bin"), RandomNumberGenerator.GetBytes(20));
        string[] before = _dir.FileNames();

        CliRun run = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("PublicKey.bin"), "--material", _dir.File("short.bin"), "--out", _dir.File("EncryptedKeyMaterial.bin"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.StartWith("error: "));
        Assert.That(_dir.FileNames(), Is.EqualTo(before));
    }

    [Test]
    public async Task Wrap_Not_A_Public_Key_Exits_2()
    {
        File.WriteAllBytes(_dir.File("material.bin"), RandomNumberGenerator.GetBytes(32));
        File.WriteAllText(_dir.File("garbage.bin"), "this is not a key");

        CliRun run = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("garbage.bin"), "--material", _dir.File("material.bin"), "--out", _dir.File("EncryptedKeyMaterial.bin"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("--wrapping-key"));
        Assert.That(_dir.FileNames(), Does.Not.Contain("EncryptedKeyMaterial.bin"));
    }

    [Test]
    public async Task Wrap_Into_A_Missing_Directory_Exits_2()
    {
        File.WriteAllBytes(_dir.File("material.bin"), RandomNumberGenerator.GetBytes(32));

        CliRun run = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("PublicKey.bin"), "--material", _dir.File("material.bin"), "--out", Path.Combine(_dir.Path, "missing", "x.bin"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(run.Error, Does.Contain("does not exist"));
    }

    [Test]
    public async Task Wrap_Private_Key_Second_Output_Failure_Leaves_No_First_Output()
    {
        await OpenSsl.RunAsync(_dir.Path, "genrsa", "-out", "rsa.pem", "2048");
        Directory.CreateDirectory(_dir.File("taken"));

        // The second output is a directory: the first must not be left behind.
        CliRun run = await CliHarness.RunAsync("wrap", "--wrapping-key", _dir.File("PublicKey.bin"), "--private-key", _dir.File("rsa.pem"),
            "--out", _dir.File("EncryptedKeyMaterial.bin"), "--out-private-key", _dir.File("taken"));

        Assert.That(run.ExitCode, Is.EqualTo(2), run.ToString());
        Assert.That(_dir.FileNames(), Is.EqualTo(new[] { "PublicKey.bin", "rsa.pem", "wrapping_private.pem" }));
    }
}
