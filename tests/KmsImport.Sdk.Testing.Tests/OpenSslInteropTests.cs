using System.Security.Cryptography;

namespace KmsImport.Sdk.Testing.Tests;

/// <summary>
/// Material wrapped by the real <c>openssl</c> binary with the console guide's exact commands
/// imports into the emulator, and the emulator holds exactly what openssl wrapped.
/// </summary>
[CancelAfter(300_000)]
public class OpenSslInteropTests
{
    private string _directory = null!;
    private LocalKms _kms = null!;

    [SetUp]
    public void SetUp()
    {
        _directory = Directory.CreateTempSubdirectory("kms-openssl-").FullName;
        _kms = new LocalKms();
    }

    [TearDown]
    public void TearDown()
    {
        _kms.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [TestCase("RSAES_OAEP_SHA_256", "sha256")]
    [TestCase("RSAES_OAEP_SHA_1", "sha1")]
    public async Task Symmetric_Material_Wrapped_By_Openssl_Imports(string algorithm, string digest)
    {
        string keyId = await LocalKmsTestKit.CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId) { WrappingAlgorithm = algorithm });
        await WritePublicKeyAsync(parameters);

        await OpenSslAsync("rand", "-out", "PlaintextKeyMaterial.bin", "32");
        await OpenSslAsync("pkeyutl", "-in", "PlaintextKeyMaterial.bin", "-inkey", "PublicKey.bin", "-out", "EncryptedKeyMaterial.bin", "-keyform", "der", "-pubin", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", $"rsa_oaep_md:{digest}");

        await _kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(keyId, await ReadTokenAsync(), Base64Of("EncryptedKeyMaterial.bin")));
        Assert.That(_kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(Sha256Of("PlaintextKeyMaterial.bin")));
    }

    [Test]
    public async Task Rsa_Private_Key_Wrapped_By_Openssl_Imports()
    {
        await OpenSslAsync("genrsa", "-out", "pkcs1_rsa_private_key.pem", "2048");
        await OpenSslAsync("pkcs8", "-topk8", "-inform", "PEM", "-in", "pkcs1_rsa_private_key.pem", "-outform", "pem", "-nocrypt", "-out", "rsa_private_key.pem");
        await OpenSslAsync("pkcs8", "-topk8", "-inform", "PEM", "-outform", "DER", "-in", "rsa_private_key.pem", "-out", "rsa_private_key.der", "-nocrypt");
        await ImportPrivateKeyAsync(KeySpec.Rsa2048);
    }

    [TestCase("prime256v1", "EC_P256")]
    [TestCase("secp384r1", "EC_P384")]
    public async Task Ec_Private_Key_Wrapped_By_Openssl_Imports(string curve, string spec)
    {
        await OpenSslAsync("ecparam", "-name", curve, "-genkey", "-noout", "-out", "ec_private_key.pem");
        await OpenSslAsync("pkcs8", "-topk8", "-inform", "PEM", "-outform", "DER", "-in", "ec_private_key.pem", "-out", "rsa_private_key.der", "-nocrypt");
        await ImportPrivateKeyAsync(spec);
    }

    [Test]
    public async Task Openssl_Wrap_Under_Another_Temporary_Key_Is_KMS_2609()
    {
        await OpenSslAsync("ecparam", "-name", "prime256v1", "-genkey", "-noout", "-out", "ec_private_key.pem");
        await OpenSslAsync("pkcs8", "-topk8", "-inform", "PEM", "-outform", "DER", "-in", "ec_private_key.pem", "-out", "rsa_private_key.der", "-nocrypt");
        string keyId = await LocalKmsTestKit.CreateExternalKeyAsync(_kms, KeySpec.EcP256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        await WritePublicKeyAsync(parameters);
        await OpenSslAsync("rand", "-out", "PlaintextKeyMaterial.bin", "32");
        await OpenSslAsync("pkeyutl", "-in", "PlaintextKeyMaterial.bin", "-inkey", "PublicKey.bin", "-out", "EncryptedKeyMaterial.bin", "-keyform", "der", "-pubin", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256");
        await OpenSslAsync("enc", "-id-aes256-wrap-pad", "-K", Convert.ToHexString(RandomNumberGenerator.GetBytes(32)), "-iv", "A65959A6", "-in", "rsa_private_key.der", "-out", "out_rsa_private_key.der");

        var request = new ImportKeyMaterialRequest(keyId, await ReadTokenAsync(), Base64Of("EncryptedKeyMaterial.bin")) { EncryptedPrivateKey = Base64Of("out_rsa_private_key.der") };
        LocalKmsTestKit.AssertFails(() => _kms.ImportKeyMaterialAsync(request), 400, KmsErrorCodes.PrivateKeyInvalid);
    }

    private async Task ImportPrivateKeyAsync(KeySpec spec)
    {
        string keyId = await LocalKmsTestKit.CreateExternalKeyAsync(_kms, spec);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        await WritePublicKeyAsync(parameters);

        // The console guide's temporary key: hex from openssl, made binary (its `xxd -r -ps` step).
        await OpenSslAsync("rand", "-out", "0xPlaintextKeyMaterial.bin", "-hex", "32");
        string hex = (await File.ReadAllTextAsync(PathOf("0xPlaintextKeyMaterial.bin"))).Trim();
        await File.WriteAllBytesAsync(PathOf("PlaintextKeyMaterial.bin"), Convert.FromHexString(hex));
        await OpenSslAsync("pkeyutl", "-in", "PlaintextKeyMaterial.bin", "-inkey", "PublicKey.bin", "-out", "EncryptedKeyMaterial.bin", "-keyform", "der", "-pubin", "-encrypt", "-pkeyopt", "rsa_padding_mode:oaep", "-pkeyopt", "rsa_oaep_md:sha256");
        await OpenSslAsync("enc", "-id-aes256-wrap-pad", "-K", hex, "-iv", "A65959A6", "-in", "rsa_private_key.der", "-out", "out_rsa_private_key.der");

        var request = new ImportKeyMaterialRequest(keyId, await ReadTokenAsync(), Base64Of("EncryptedKeyMaterial.bin")) { EncryptedPrivateKey = Base64Of("out_rsa_private_key.der") };
        await _kms.ImportKeyMaterialAsync(request);
        Assert.Multiple(async () =>
        {
            Assert.That((await _kms.DescribeKeyAsync(new DescribeKeyRequest(keyId))).KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(_kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(Sha256Of("rsa_private_key.der")));
        });
    }

    // The console guide's files: PublicKey.b64 and ImportToken.b64 pasted from the response, then
    // `openssl enc -d -base64 -A -in PublicKey.b64 -out PublicKey.bin`.
    private async Task WritePublicKeyAsync(ImportParameters parameters)
    {
        await File.WriteAllTextAsync(PathOf("PublicKey.b64"), parameters.WrappingKey.ToBase64());
        await File.WriteAllTextAsync(PathOf("ImportToken.b64"), parameters.ImportToken);
        await OpenSslAsync("enc", "-d", "-base64", "-A", "-in", "PublicKey.b64", "-out", "PublicKey.bin");
    }

    private async Task<string> ReadTokenAsync() => (await File.ReadAllTextAsync(PathOf("ImportToken.b64"))).Trim();

    private string PathOf(string name) => Path.Combine(_directory, name);

    private string Base64Of(string name) => Convert.ToBase64String(File.ReadAllBytes(PathOf(name)));

    private string Sha256Of(string name) => Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(PathOf(name))));

    private Task OpenSslAsync(params string[] arguments) => OpenSsl.RunAsync(_directory, arguments);
}
