using System.Security.Cryptography;
using System.Text.RegularExpressions;
using KmsImport.Sdk.Cryptography;
using Microsoft.Extensions.Time.Testing;
using static KmsImport.Sdk.Testing.Tests.TestSupport.LocalKmsTestKit;

namespace KmsImport.Sdk.Testing.Tests;

[CancelAfter(300_000)]
public class LocalKmsTests
{
    private static readonly DateTimeOffset s_start = new(2026, 11, 29, 2, 0, 0, TimeSpan.Zero);
    private FakeTimeProvider _time = null!;
    private LocalKms _kms = null!;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(s_start);
        _kms = new LocalKms(timeProvider: _time);
    }

    [TearDown]
    public void TearDown() => _kms.Dispose();

    [Test]
    public async Task CreateKey_External_IsPendingImport_With_A_Documented_Key_Id()
    {
        CreateKeyResult created = await _kms.CreateKeyAsync(new CreateKeyRequest("byok/app:main_1") { Origin = KeyOrigin.External, KeyDescription = "d" });
        KeyDetails details = await _kms.DescribeKeyAsync(new DescribeKeyRequest(created.KeyId));
        Assert.Multiple(() =>
        {
            Assert.That(created.KeyId, Does.Match("^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$"));
            Assert.That(created.DomainId, Is.EqualTo(_kms.DomainId));
            Assert.That(details.KeyState, Is.EqualTo(KeyState.PendingImport));
            Assert.That(details.Origin, Is.EqualTo(KeyOrigin.External));
            Assert.That(details.KeySpec, Is.EqualTo(KeySpec.Aes256));
            Assert.That(details.KeyUsage, Is.EqualTo(KeyUsage.EncryptDecrypt));
            Assert.That(details.KeyAlias, Is.EqualTo("byok/app:main_1"));
            Assert.That(details.KeyDescription, Is.EqualTo("d"));
            Assert.That(details.CreationDate, Is.EqualTo(s_start));
            Assert.That(details.MaterialExpiresOn, Is.Null);
            Assert.That(_kms.KeyCount, Is.EqualTo(1));
            Assert.That(_kms.GetImportedMaterialFingerprint(created.KeyId), Is.Null);
            Assert.That(_kms.GetImportCount(created.KeyId), Is.Zero);
        });
    }

    [Test]
    public async Task CreateKey_Kms_Origin_Is_Enabled()
    {
        CreateKeyResult created = await _kms.CreateKeyAsync(new CreateKeyRequest("generated") { Origin = KeyOrigin.Kms });
        KeyDetails details = await _kms.DescribeKeyAsync(new DescribeKeyRequest(created.KeyId));
        Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
    }

    [TestCase("")]
    [TestCase("has space")]
    [TestCase("bad!char")]
    public void CreateKey_Rejects_An_Alias_Outside_The_Pattern(string alias) =>
        AssertFails(() => _kms.CreateKeyAsync(new CreateKeyRequest(alias)), 400, "KMS.0201");

    [Test]
    public async Task CreateKey_Accepts_255_Character_Alias_And_Rejects_256()
    {
        await _kms.CreateKeyAsync(new CreateKeyRequest(new string('a', 255)));
        AssertFails(() => _kms.CreateKeyAsync(new CreateKeyRequest(new string('a', 256))), 400, "KMS.0201");
    }

    [Test]
    public async Task CreateKey_Accepts_255_Character_Description_And_Rejects_256()
    {
        await _kms.CreateKeyAsync(new CreateKeyRequest("k") { KeyDescription = new string('d', 255) });
        AssertFails(() => _kms.CreateKeyAsync(new CreateKeyRequest("k") { KeyDescription = new string('d', 256) }), 400, "KMS.0201");
    }

    [TestCase("AES_128")]
    [TestCase("aes_256")]
    public void CreateKey_Rejects_An_Unknown_Spec(string spec) =>
        AssertFails(() => _kms.CreateKeyAsync(new CreateKeyRequest("k") { KeySpec = spec }), 400, "KMS.0201");

    [Test]
    public void CreateKey_External_Rejects_A_Spec_That_Cannot_Be_Imported() =>
        AssertFails(() => _kms.CreateKeyAsync(new CreateKeyRequest("k") { KeySpec = KeySpec.HmacSm3, Origin = KeyOrigin.External }), 400, "KMS.0201");

    [Test]
    public void CreateKey_External_Rejects_A_Spec_Outside_The_Capability_Profile()
    {
        using var otc = new LocalKms(new LocalKmsOptions { Capabilities = KmsCapabilities.OpenTelekomCloud });
        KmsRequestFailedException ex = AssertFails(() => otc.CreateKeyAsync(new CreateKeyRequest("k") { KeySpec = KeySpec.Sm4, Origin = KeyOrigin.External }), 400, "KMS.0201");
        Assert.That(ex.ServiceMessage, Does.Contain("SM4").And.Contain("Open Telekom Cloud"));
    }

    [Test]
    public void CreateKey_Rejects_A_Sequence_That_Is_Not_36_Characters() =>
        AssertFails(() => _kms.CreateKeyAsync(new CreateKeyRequest("k") { Sequence = "short" }), 400, "KMS.0201");

    [Test]
    public void DescribeKey_Unknown_Key_Is_KMS_0207()
    {
        KmsRequestFailedException ex = AssertFails(() => _kms.DescribeKeyAsync(new DescribeKeyRequest(Guid.NewGuid().ToString())), 404, KmsErrorCodes.KeyNotFound);
        Assert.That(ex.Operation, Is.EqualTo("describe-key"));
    }

    [TestCase("not-a-key-id")]
    [TestCase("0F6D5A33-1C4B-4D1E-9A2B-3C4D5E6F7A8B")]
    public void DescribeKey_Malformed_Key_Id_Is_KMS_0205(string keyId) =>
        AssertFails(() => _kms.DescribeKeyAsync(new DescribeKeyRequest(keyId)), 400, KmsErrorCodes.InvalidKeyId);

    [Test]
    public async Task GetParametersForImport_Issues_A_Fresh_2048_Bit_Key_And_A_Bound_Token_Valid_24_Hours()
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters first = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        ImportParameters second = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        Assert.Multiple(() =>
        {
            Assert.That(first.KeyId, Is.EqualTo(keyId));
            Assert.That(first.WrappingAlgorithm, Is.EqualTo(WrappingAlgorithm.RsaesOaepSha256));
            Assert.That(first.WrappingKey.KeySizeInBits, Is.EqualTo(2048));
            Assert.That(first.ImportToken, Does.Match("^[0-9a-zA-Z+/=]{200,6144}$"));
            Assert.That(first.ExpiresOn, Is.EqualTo(s_start.AddHours(24)));
            Assert.That(second.ImportToken, Is.Not.EqualTo(first.ImportToken));
            Assert.That(second.WrappingKey.SubjectPublicKeyInfo.ToArray(), Is.Not.EqualTo(first.WrappingKey.SubjectPublicKeyInfo.ToArray()));
        });
    }

    [TestCase(3072)]
    [TestCase(4096)]
    public async Task GetParametersForImport_Uses_The_Configured_Wrapping_Key_Size(int bits)
    {
        using var kms = new LocalKms(new LocalKmsOptions { WrappingKeySizeInBits = bits }, _time);
        string keyId = await CreateExternalKeyAsync(kms, KeySpec.Aes256);
        ImportParameters parameters = await kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        Assert.That(parameters.WrappingKey.KeySizeInBits, Is.EqualTo(bits));
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        await kms.ImportKeyMaterialAsync(Wrap(parameters, material));
        Assert.That(kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(material.ComputeFingerprint()));
    }

    [TestCase(1024)]
    [TestCase(2049)]
    public void Options_Reject_An_Unsupported_Wrapping_Key_Size(int bits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new LocalKms(new LocalKmsOptions { WrappingKeySizeInBits = bits }));

    [TestCase("RSAES_OAEP_SHA_512")]
    [TestCase("RSA_AES_KEY_WRAP")]
    public async Task GetParametersForImport_Rejects_Other_Algorithms(string algorithm)
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        KmsRequestFailedException ex = AssertFails(() => _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId) { WrappingAlgorithm = algorithm }), 400, "KMS.0201");
        Assert.That(ex.ServiceMessage, Does.Contain(algorithm));
    }

    [Test]
    public async Task GetParametersForImport_For_A_Kms_Origin_Key_Is_KMS_0309()
    {
        CreateKeyResult created = await _kms.CreateKeyAsync(new CreateKeyRequest("k") { Origin = KeyOrigin.Kms });
        AssertFails(() => _kms.GetParametersForImportAsync(new GetParametersForImportRequest(created.KeyId)), 400, KmsErrorCodes.ExternalKeyRequired);
    }

    [Test]
    public async Task GetParametersForImport_For_An_Enabled_Key_Is_KMS_0310()
    {
        (string keyId, KeyMaterial material) = await ImportNewAsync(_kms, KeySpec.Aes256);
        material.Dispose();
        AssertFails(() => _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId)), 400, KmsErrorCodes.KeyNotPendingImport);
    }

    [TestCase("AES_256")]
    [TestCase("HMAC_256")]
    [TestCase("HMAC_384")]
    [TestCase("HMAC_512")]
    public async Task Import_Symmetric_Material_Enables_The_Key_And_Keeps_Its_Fingerprint(string spec)
    {
        (string keyId, KeyMaterial material) = await ImportNewAsync(_kms, spec);
        using (material)
        {
            KeyDetails details = await _kms.DescribeKeyAsync(new DescribeKeyRequest(keyId));
            Assert.Multiple(() =>
            {
                Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
                Assert.That(details.MaterialExpiresOn, Is.Null);
                Assert.That(_kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(material.ComputeFingerprint()));
                Assert.That(_kms.GetImportCount(keyId), Is.EqualTo(1));
            });
        }
    }

    [Test]
    public async Task Import_With_Oaep_Sha1_Parameters_Succeeds_And_Sha256_Wrapping_Is_KMS_0311_Naming_The_Algorithm()
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters sha1 = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId) { WrappingAlgorithm = WrappingAlgorithm.RsaesOaepSha1 });
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);

        // The right key, the wrong OAEP hash: the material was wrapped for SHA-256.
        WrappedKeyMaterial wrong = KeyMaterialWrapper.Shared.Wrap(material, sha1.WrappingKey, WrappingAlgorithm.RsaesOaepSha256);
        KmsRequestFailedException ex = AssertFails(
            () => _kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(keyId, sha1.ImportToken, wrong.EncryptedKeyMaterialBase64)),
            400,
            KmsErrorCodes.DecryptionFailed);
        Assert.That(ex.ServiceMessage, Does.Contain("RSAES_OAEP_SHA_1"));

        await _kms.ImportKeyMaterialAsync(Wrap(sha1, material));
        Assert.That(_kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(material.ComputeFingerprint()));
    }

    [Test]
    public async Task Import_Material_Wrapped_For_Another_Wrapping_Key_Is_KMS_0311()
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters first = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        ImportParameters second = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        ImportKeyMaterialRequest wrappedForFirst = Wrap(first, material);
        AssertFails(() => _kms.ImportKeyMaterialAsync(wrappedForFirst with { ImportToken = second.ImportToken }), 400, KmsErrorCodes.DecryptionFailed);
    }

    [TestCase("not base64!")]
    [TestCase("AAAA")]
    public async Task Import_Undecryptable_Ciphertext_Is_KMS_0311(string ciphertext)
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        AssertFails(() => _kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(keyId, parameters.ImportToken, ciphertext)), 400, KmsErrorCodes.DecryptionFailed);
    }

    [Test]
    public async Task Import_With_A_Forged_Token_Is_KMS_2605()
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        ImportKeyMaterialRequest request = Wrap(parameters, material);

        // One flipped bit inside the token's payload.
        byte[] token = Convert.FromBase64String(parameters.ImportToken);
        token[40] ^= 0x01;
        AssertFails(() => _kms.ImportKeyMaterialAsync(request with { ImportToken = Convert.ToBase64String(token) }), 400, KmsErrorCodes.ImportTokenInvalid);
        AssertFails(() => _kms.ImportKeyMaterialAsync(request with { ImportToken = Convert.ToBase64String(RandomNumberGenerator.GetBytes(token.Length)) }), 400, KmsErrorCodes.ImportTokenInvalid);
        AssertFails(() => _kms.ImportKeyMaterialAsync(request with { ImportToken = "short" }), 400, KmsErrorCodes.ImportTokenInvalid);
        Assert.That(_kms.GetImportCount(keyId), Is.Zero);
    }

    [Test]
    public async Task Import_With_A_Token_From_Another_Emulator_Is_KMS_2605()
    {
        using var other = new LocalKms(timeProvider: _time);
        string otherKeyId = await CreateExternalKeyAsync(other, KeySpec.Aes256);
        ImportParameters foreign = await other.GetParametersForImportAsync(new GetParametersForImportRequest(otherKeyId));
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        AssertFails(() => _kms.ImportKeyMaterialAsync(Wrap(foreign, material) with { KeyId = keyId }), 400, KmsErrorCodes.ImportTokenInvalid);
    }

    [Test]
    public async Task Import_With_Another_Keys_Token_Is_KMS_2603()
    {
        string keyA = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        string keyB = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters forA = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyA));
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        AssertFails(() => _kms.ImportKeyMaterialAsync(Wrap(forA, material) with { KeyId = keyB }), 400, KmsErrorCodes.ImportTokenKeyMismatch);

        // The failed attempt consumed nothing: the token still works for its own key.
        await _kms.ImportKeyMaterialAsync(Wrap(forA, material));
        Assert.That(_kms.GetImportCount(keyA), Is.EqualTo(1));
    }

    [Test]
    public async Task Import_Token_Expires_After_24_Hours_With_KMS_2601()
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        _time.Advance(TimeSpan.FromHours(24));
        AssertFails(() => _kms.ImportKeyMaterialAsync(Wrap(parameters, material)), 400, KmsErrorCodes.ImportTokenExpired);
    }

    [Test]
    public async Task Import_Token_Is_Still_Valid_One_Second_Before_Expiry()
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        _time.Advance(TimeSpan.FromHours(24) - TimeSpan.FromSeconds(1));
        await _kms.ImportKeyMaterialAsync(Wrap(parameters, material));
        Assert.That(_kms.GetImportCount(keyId), Is.EqualTo(1));
    }

    [Test]
    public async Task Import_Token_Is_Consumed_Only_By_A_Success_And_Only_Once()
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));

        // A failure (wrong length) leaves the token usable.
        byte[] tooShort = RandomNumberGenerator.GetBytes(16);
        AssertFails(() => _kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(keyId, parameters.ImportToken, Convert.ToBase64String(EncryptWithWrappingKey(parameters, tooShort)))), 400, KmsErrorCodes.MaterialLengthInvalid);

        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        ImportKeyMaterialRequest request = Wrap(parameters, material);
        await _kms.ImportKeyMaterialAsync(request);

        // After deletion the key is pending import again, but the used token is gone.
        await _kms.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(keyId));
        AssertFails(() => _kms.ImportKeyMaterialAsync(request), 400, KmsErrorCodes.ImportTokenInvalid);
        Assert.That(_kms.GetImportCount(keyId), Is.EqualTo(1));
    }

    [Test]
    public async Task Import_Into_An_Enabled_Key_Is_KMS_0310()
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters first = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        ImportParameters second = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        await _kms.ImportKeyMaterialAsync(Wrap(first, material));
        AssertFails(() => _kms.ImportKeyMaterialAsync(Wrap(second, material)), 400, KmsErrorCodes.KeyNotPendingImport);
        Assert.That(_kms.GetImportCount(keyId), Is.EqualTo(1));
    }

    [Test]
    public async Task Import_Into_A_Kms_Origin_Key_Is_KMS_0309()
    {
        string external = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(external));
        CreateKeyResult generated = await _kms.CreateKeyAsync(new CreateKeyRequest("k") { Origin = KeyOrigin.Kms });
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        AssertFails(() => _kms.ImportKeyMaterialAsync(Wrap(parameters, material) with { KeyId = generated.KeyId }), 400, KmsErrorCodes.ExternalKeyRequired);
    }

    [TestCase("AES_256", 16)]
    [TestCase("AES_256", 48)]
    [TestCase("HMAC_384", 32)]
    [TestCase("HMAC_512", 32)]
    public async Task Import_Symmetric_Material_Of_The_Wrong_Length_Is_KMS_2604(string spec, int length)
    {
        string keyId = await CreateExternalKeyAsync(_kms, spec);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        string ciphertext = Convert.ToBase64String(EncryptWithWrappingKey(parameters, RandomNumberGenerator.GetBytes(length)));
        AssertFails(() => _kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(keyId, parameters.ImportToken, ciphertext)), 400, KmsErrorCodes.MaterialLengthInvalid);
    }

    [Test]
    public async Task Import_Expiry_Not_In_The_Future_Is_KMS_2602()
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        AssertFails(() => _kms.ImportKeyMaterialAsync(Wrap(parameters, material, s_start)), 400, KmsErrorCodes.ExpirationTimeInvalid);
        AssertFails(() => _kms.ImportKeyMaterialAsync(Wrap(parameters, material, s_start.AddDays(-1))), 400, KmsErrorCodes.ExpirationTimeInvalid);
        Assert.That(_kms.GetImportCount(keyId), Is.Zero);
    }

    [Test]
    public async Task Expired_Material_Is_Gone_And_Only_The_Same_Material_Can_Return()
    {
        DateTimeOffset expiresOn = s_start.AddHours(1);
        (string keyId, KeyMaterial material) = await ImportNewAsync(_kms, KeySpec.Aes256, expiresOn);
        using (material)
        {
            KeyDetails before = await _kms.DescribeKeyAsync(new DescribeKeyRequest(keyId));
            Assert.Multiple(() =>
            {
                Assert.That(before.KeyState, Is.EqualTo(KeyState.Enabled));
                Assert.That(before.MaterialExpiresOn, Is.EqualTo(expiresOn));
            });

            _time.Advance(TimeSpan.FromHours(1));
            KeyDetails after = await _kms.DescribeKeyAsync(new DescribeKeyRequest(keyId));
            Assert.Multiple(() =>
            {
                Assert.That(after.KeyState, Is.EqualTo(KeyState.PendingImport));
                Assert.That(after.MaterialExpiresOn, Is.Null);
                Assert.That(_kms.GetImportedMaterialFingerprint(keyId), Is.Null);
            });

            ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
            using KeyMaterial other = RandomSymmetric(KeySpec.Aes256);
            AssertFails(() => _kms.ImportKeyMaterialAsync(Wrap(parameters, other)), 400, KmsErrorCodes.MaterialMismatch);
            await _kms.ImportKeyMaterialAsync(Wrap(parameters, material));
            Assert.Multiple(() =>
            {
                Assert.That(_kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(material.ComputeFingerprint()));
                Assert.That(_kms.GetImportCount(keyId), Is.EqualTo(2));
            });
        }
    }

    [Test]
    public async Task Expiry_Is_Noticed_By_Import_Without_A_Describe_First()
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        ImportParameters first = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        ImportParameters second = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        await _kms.ImportKeyMaterialAsync(Wrap(first, material, s_start.AddMinutes(10)));
        AssertFails(() => _kms.ImportKeyMaterialAsync(Wrap(second, material)), 400, KmsErrorCodes.KeyNotPendingImport);
        _time.Advance(TimeSpan.FromMinutes(10));
        await _kms.ImportKeyMaterialAsync(Wrap(second, material));
        Assert.That(_kms.GetImportCount(keyId), Is.EqualTo(2));
    }

    [Test]
    public async Task Delete_Returns_The_Key_To_Pending_Import_And_Reimport_Must_Be_Identical()
    {
        (string keyId, KeyMaterial material) = await ImportNewAsync(_kms, KeySpec.Hmac256);
        using (material)
        {
            await _kms.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(keyId));
            KeyDetails details = await _kms.DescribeKeyAsync(new DescribeKeyRequest(keyId));
            Assert.Multiple(() =>
            {
                Assert.That(details.KeyState, Is.EqualTo(KeyState.PendingImport));
                Assert.That(_kms.GetImportedMaterialFingerprint(keyId), Is.Null);
            });

            AssertFails(() => _kms.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(keyId)), 400, KmsErrorCodes.MaterialNotDeletable);

            ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
            using KeyMaterial other = RandomSymmetric(KeySpec.Hmac256);
            AssertFails(() => _kms.ImportKeyMaterialAsync(Wrap(parameters, other)), 400, KmsErrorCodes.MaterialMismatch);
            await _kms.ImportKeyMaterialAsync(Wrap(parameters, material));
            Assert.That(_kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(material.ComputeFingerprint()));
        }
    }

    [Test]
    public async Task Delete_Before_Any_Import_Is_KMS_2701()
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
        AssertFails(() => _kms.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(keyId)), 400, KmsErrorCodes.MaterialNotDeletable);
    }

    [Test]
    public async Task Delete_Of_Asymmetric_Material_Is_KMS_2702()
    {
        string keyId = await CreateExternalKeyAsync(_kms, KeySpec.EcP256);
        ImportParameters parameters = await _kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using KeyMaterial material = KeyMaterial.FromECDsa(ec);
        await _kms.ImportKeyMaterialAsync(Wrap(parameters, material));
        AssertFails(() => _kms.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(keyId)), 400, KmsErrorCodes.PrivateKeyMaterialNotDeletable);
        Assert.That((await _kms.DescribeKeyAsync(new DescribeKeyRequest(keyId))).KeyState, Is.EqualTo(KeyState.Enabled));
    }

    [Test]
    public void Delete_Unknown_Key_Is_KMS_0207() =>
        AssertFails(() => _kms.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(Guid.NewGuid().ToString())), 404, KmsErrorCodes.KeyNotFound);

    [Test]
    public void Cancelled_Calls_Do_Not_Run()
    {
        using var cts = new CancellationTokenSource();
        cts.Cancel();
        Assert.ThrowsAsync<TaskCanceledException>(() => _kms.CreateKeyAsync(new CreateKeyRequest("k"), cts.Token));
        Assert.That(_kms.KeyCount, Is.Zero);
    }

    [Test]
    public void Inspection_Of_An_Unknown_Key_Throws() =>
        Assert.Throws<KeyNotFoundException>(() => _kms.GetImportCount(Guid.NewGuid().ToString()));

    [Test]
    public async Task Dispose_Zeroes_Held_Material_And_Refuses_Further_Calls()
    {
        (_, KeyMaterial material) = await ImportNewAsync(_kms, KeySpec.Aes256);
        material.Dispose();
        _kms.Dispose();
        Assert.ThrowsAsync<ObjectDisposedException>(() => _kms.CreateKeyAsync(new CreateKeyRequest("k")));
    }

    [Test]
    public void Errors_Never_Echo_The_Token()
    {
        string token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(160));
        KmsRequestFailedException ex = AssertFails(
            async () =>
            {
                string keyId = await CreateExternalKeyAsync(_kms, KeySpec.Aes256);
                await _kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(keyId, token, "AAAA"));
            },
            400,
            KmsErrorCodes.ImportTokenInvalid);
        Assert.That(ex.Message, Does.Not.Contain(token[..20]));
        Assert.That(Regex.IsMatch(ex.RequestId!, "^[0-9a-f]{32}$"), Is.True);
    }
}
