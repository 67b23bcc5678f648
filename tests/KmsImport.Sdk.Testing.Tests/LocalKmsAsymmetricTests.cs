using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using static KmsImport.Sdk.Testing.Tests.TestSupport.LocalKmsTestKit;

namespace KmsImport.Sdk.Testing.Tests;

[CancelAfter(300_000)]
public class LocalKmsAsymmetricTests
{
    private LocalKms _kms = null!;

    [SetUp]
    public void SetUp() => _kms = new LocalKms();

    [TearDown]
    public void TearDown() => _kms.Dispose();

    [TestCase(2048)]
    [TestCase(3072)]
    public async Task Import_Rsa_Private_Key_Enables_The_Key(int bits)
    {
        using RSA rsa = RSA.Create(bits);
        using KeyMaterial material = KeyMaterial.FromRsa(rsa);
        string keyId = await ImportAsymmetricAsync(material.KeySpec, material);
        Assert.Multiple(async () =>
        {
            Assert.That((await _kms.DescribeKeyAsync(new(keyId))).KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(_kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(material.ComputeFingerprint()));
        });
    }

    [TestCase("EC_P256")]
    [TestCase("EC_P384")]
    public async Task Import_Ec_Private_Key_Enables_The_Key(string spec)
    {
        using ECDsa ec = ECDsa.Create(spec == "EC_P256" ? ECCurve.NamedCurves.nistP256 : ECCurve.NamedCurves.nistP384);
        using KeyMaterial material = KeyMaterial.FromECDsa(ec);
        string keyId = await ImportAsymmetricAsync(spec, material);
        Assert.That(_kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(material.ComputeFingerprint()));
    }

    [Test]
    public async Task A_16_Byte_Temporary_Key_Is_Accepted()
    {
        using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] pkcs8 = ec.ExportPkcs8PrivateKey();
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.EcP256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new(keyId));
        await _kms.ImportKeyMaterialAsync(WrapManually(parameters, RandomNumberGenerator.GetBytes(16), pkcs8));
        Assert.That(_kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(pkcs8))));
    }

    [Test]
    public async Task Missing_Private_Key_Is_KMS_2608()
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Rsa2048);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new(keyId));
        AssertFails(() => _kms.ImportKeyMaterialAsync(WrapManually(parameters, RandomNumberGenerator.GetBytes(32), null)), 400, KmsErrorCodes.PrivateKeyMissing);
    }

    [TestCase(8)]
    [TestCase(24)]
    [TestCase(48)]
    public async Task Temporary_Key_Not_16_Or_32_Bytes_Is_KMS_2610(int length)
    {
        using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.EcP256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new(keyId));
        byte[] temporaryKey = RandomNumberGenerator.GetBytes(length);
        byte[] kek = length is 8 or 48 ? RandomNumberGenerator.GetBytes(32) : temporaryKey;
        AssertFails(() => _kms.ImportKeyMaterialAsync(WrapManually(parameters, temporaryKey, ec.ExportPkcs8PrivateKey(), kek)), 400, KmsErrorCodes.TemporaryKeyLengthInvalid);
    }

    [Test]
    public async Task Private_Key_Wrapped_Under_Another_Key_Is_KMS_2609()
    {
        using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.EcP256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new(keyId));
        AssertFails(() => _kms.ImportKeyMaterialAsync(WrapManually(parameters, RandomNumberGenerator.GetBytes(32), ec.ExportPkcs8PrivateKey(), RandomNumberGenerator.GetBytes(32))), 400, KmsErrorCodes.PrivateKeyInvalid);
    }

    [Test]
    public async Task Private_Key_That_Is_Not_Pkcs8_Is_KMS_2609()
    {
        using RSA rsa = RSA.Create(2048);
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Rsa2048);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new(keyId));

        // PKCS#1 (what `openssl genrsa` writes before the pkcs8 step) is not PKCS#8.
        AssertFails(() => _kms.ImportKeyMaterialAsync(WrapManually(parameters, RandomNumberGenerator.GetBytes(32), rsa.ExportRSAPrivateKey())), 400, KmsErrorCodes.PrivateKeyInvalid);
        AssertFails(() => _kms.ImportKeyMaterialAsync(WrapManually(parameters, RandomNumberGenerator.GetBytes(32), RandomNumberGenerator.GetBytes(300))), 400, KmsErrorCodes.PrivateKeyInvalid);
        byte[] trailing = [.. rsa.ExportPkcs8PrivateKey(), 0x00];
        AssertFails(() => _kms.ImportKeyMaterialAsync(WrapManually(parameters, RandomNumberGenerator.GetBytes(32), trailing)), 400, KmsErrorCodes.PrivateKeyInvalid);
        AssertFails(
            () => _kms.ImportKeyMaterialAsync(WrapManually(parameters, RandomNumberGenerator.GetBytes(32), rsa.ExportPkcs8PrivateKey()) with { EncryptedPrivateKey = "not base64" }),
            400,
            KmsErrorCodes.PrivateKeyInvalid);
        Assert.That(_kms.GetImportCount(keyId), Is.Zero);
    }

    [TestCase("RSA_2048", "RSA_3072")]
    [TestCase("RSA_3072", "RSA_2048")]
    [TestCase("RSA_2048", "EC_P256")]
    [TestCase("EC_P256", "EC_P384")]
    [TestCase("EC_P384", "EC_P256")]
    [TestCase("EC_P256", "RSA_2048")]
    public async Task Private_Key_Not_Matching_The_Spec_Is_KMS_2609(string keySpec, string actual)
    {
        byte[] pkcs8 = actual switch
        {
            "RSA_2048" => ExportAndDispose(RSA.Create(2048)),
            "RSA_3072" => ExportAndDispose(RSA.Create(3072)),
            "EC_P256" => ExportAndDispose(ECDsa.Create(ECCurve.NamedCurves.nistP256)),
            _ => ExportAndDispose(ECDsa.Create(ECCurve.NamedCurves.nistP384)),
        };
        string keyId = await CreateExternalKeyAsync(_kms, keySpec);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new(keyId));
        AssertFails(() => _kms.ImportKeyMaterialAsync(WrapManually(parameters, RandomNumberGenerator.GetBytes(32), pkcs8)), 400, KmsErrorCodes.PrivateKeyInvalid);

        static byte[] ExportAndDispose(AsymmetricAlgorithm key)
        {
            using (key)
            {
                return key.ExportPkcs8PrivateKey();
            }
        }
    }

    [Test]
    public async Task Expiry_On_Asymmetric_Material_Is_Refused()
    {
        using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using KeyMaterial material = KeyMaterial.FromECDsa(ec);
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.EcP256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new(keyId));
        KmsRequestFailedException ex = AssertFails(() => _kms.ImportKeyMaterialAsync(Wrap(parameters, material, DateTimeOffset.UtcNow.AddDays(1))), 400, KmsErrorCodes.ExpirationTimeInvalid);
        Assert.That(ex.ServiceMessage, Does.Contain("asymmetric"));
    }

    private async Task<string> ImportAsymmetricAsync(KeySpec spec, KeyMaterial material)
    {
        string keyId = await CreateExternalKeyAsync(_kms, spec);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new(keyId));
        await _kms.ImportKeyMaterialAsync(Wrap(parameters, material));
        return keyId;
    }
}
