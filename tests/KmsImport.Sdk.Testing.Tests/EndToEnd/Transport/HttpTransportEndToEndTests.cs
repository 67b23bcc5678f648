using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;
using static KmsImport.Sdk.Testing.Tests.TestSupport.LocalKmsTestKit;

namespace KmsImport.Sdk.Testing.Tests.EndToEnd.Transport;

[CancelAfter(300_000)]
public class HttpTransportEndToEndTests
{
    private EndToEndFixture _fixture = null!;
    private IKmsTransport _transport = null!;

    [SetUp]
    public async Task SetUp()
    {
        _fixture = await EndToEndFixture.StartAsync();
        _transport = _fixture.Transport;
    }

    [TearDown]
    public async Task TearDown() => await _fixture.DisposeAsync();

    [Test]
    public void The_Registered_Transport_Is_The_Https_Transport() =>
        Assert.That(_transport, Is.InstanceOf<HttpKmsTransport>());

    [Test]
    public async Task Every_Operation_Round_Trips()
    {
        CreateKeyResult created = await _transport.CreateKeyAsync(new CreateKeyRequest("e2e/aes") { KeyDescription = "end to end" });
        Assert.That(created.DomainId, Is.EqualTo(_fixture.Kms.DomainId));

        ImportParameters parameters = await _transport.GetParametersForImportAsync(new GetParametersForImportRequest(created.KeyId));
        Assert.Multiple(() =>
        {
            Assert.That(parameters.KeyId, Is.EqualTo(created.KeyId));
            Assert.That(parameters.WrappingKey.KeySizeInBits, Is.EqualTo(2048));
            Assert.That(parameters.ImportToken, Does.Match("^[0-9a-zA-Z+/=]{200,6144}$"));
            Assert.That(parameters.ExpiresOn, Is.EqualTo(DateTimeOffset.FromUnixTimeSeconds(_fixture.KmsTime.GetUtcNow().AddHours(24).ToUnixTimeSeconds())));
        });

        DateTimeOffset expiresOn = DateTimeOffset.FromUnixTimeSeconds(_fixture.KmsTime.GetUtcNow().AddDays(3).ToUnixTimeSeconds());
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        await _transport.ImportKeyMaterialAsync(Wrap(parameters, material, expiresOn) with { Sequence = Guid.NewGuid().ToString() });
        Assert.That(_fixture.Kms.GetImportedMaterialFingerprint(created.KeyId), Is.EqualTo(material.ComputeFingerprint()));

        KeyDetails details = await _transport.DescribeKeyAsync(new DescribeKeyRequest(created.KeyId));
        Assert.Multiple(() =>
        {
            Assert.That(details.KeyId, Is.EqualTo(created.KeyId));
            Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(details.Origin, Is.EqualTo(KeyOrigin.External));
            Assert.That(details.KeySpec, Is.EqualTo(KeySpec.Aes256));
            Assert.That(details.KeyAlias, Is.EqualTo("e2e/aes"));
            Assert.That(details.KeyDescription, Is.EqualTo("end to end"));
            Assert.That(details.MaterialExpiresOn, Is.EqualTo(expiresOn));
            Assert.That(details.CreationDate, Is.EqualTo(_fixture.KmsTime.GetUtcNow()).Within(TimeSpan.FromSeconds(1)));
        });

        await _transport.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(created.KeyId));
        Assert.That((await _transport.DescribeKeyAsync(new DescribeKeyRequest(created.KeyId))).KeyState, Is.EqualTo(KeyState.PendingImport));
    }

    [TestCase("RSAES_OAEP_SHA_256")]
    [TestCase("RSAES_OAEP_SHA_1")]
    public async Task Asymmetric_Import_Round_Trips(string algorithm)
    {
        string keyId = (await _transport.CreateKeyAsync(new CreateKeyRequest("e2e-ec") { KeySpec = KeySpec.EcP384 })).KeyId;
        ImportParameters parameters = await _transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId) { WrappingAlgorithm = algorithm });
        Assert.That(parameters.WrappingAlgorithm, Is.EqualTo(new WrappingAlgorithm(algorithm)));
        using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using KeyMaterial material = KeyMaterial.FromECDsa(ec);
        await _transport.ImportKeyMaterialAsync(Wrap(parameters, material));
        Assert.That(_fixture.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(material.ComputeFingerprint()));
        AssertFails(() => _transport.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(keyId)), 400, KmsErrorCodes.PrivateKeyMaterialNotDeletable);
    }

    [Test]
    public void Key_Errors_Keep_Code_Status_And_Request_Id()
    {
        KmsRequestFailedException notFound = AssertFails(() => _transport.DescribeKeyAsync(new DescribeKeyRequest(Guid.NewGuid().ToString())), 404, KmsErrorCodes.KeyNotFound);
        Assert.That(notFound.Operation, Is.EqualTo("describe-key"));
        Assert.That(notFound.RequestId, Does.Match("^[0-9a-f]{32}$"));
        AssertFails(() => _transport.DescribeKeyAsync(new DescribeKeyRequest("not-a-key-id")), 400, KmsErrorCodes.InvalidKeyId);
        AssertFails(() => _transport.CreateKeyAsync(new CreateKeyRequest("bad alias!")), 400, "KMS.0201");
    }

    [Test]
    public async Task Import_State_And_Origin_Errors()
    {
        string generated = (await _transport.CreateKeyAsync(new CreateKeyRequest("generated") { Origin = KeyOrigin.Kms })).KeyId;
        AssertFails(() => _transport.GetParametersForImportAsync(new GetParametersForImportRequest(generated)), 400, KmsErrorCodes.ExternalKeyRequired);

        string keyId = (await _transport.CreateKeyAsync(new CreateKeyRequest("state"))).KeyId;
        AssertFails(() => _transport.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(keyId)), 400, KmsErrorCodes.MaterialNotDeletable);
        ImportParameters first = await _transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        ImportParameters second = await _transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        await _transport.ImportKeyMaterialAsync(Wrap(first, material));
        AssertFails(() => _transport.ImportKeyMaterialAsync(Wrap(second, material)), 400, KmsErrorCodes.KeyNotPendingImport);
        AssertFails(() => _transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId)), 400, KmsErrorCodes.KeyNotPendingImport);
    }

    [Test]
    public async Task Token_Errors()
    {
        string keyA = (await _transport.CreateKeyAsync(new CreateKeyRequest("a"))).KeyId;
        string keyB = (await _transport.CreateKeyAsync(new CreateKeyRequest("b"))).KeyId;
        ImportParameters forA = await _transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyA));
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        ImportKeyMaterialRequest request = Wrap(forA, material);

        byte[] forged = Convert.FromBase64String(forA.ImportToken);
        forged[^1] ^= 0x80;
        AssertFails(() => _transport.ImportKeyMaterialAsync(request with { ImportToken = Convert.ToBase64String(forged) }), 400, KmsErrorCodes.ImportTokenInvalid);
        AssertFails(() => _transport.ImportKeyMaterialAsync(request with { KeyId = keyB }), 400, KmsErrorCodes.ImportTokenKeyMismatch);

        _fixture.KmsTime.Advance(TimeSpan.FromHours(24));
        AssertFails(() => _transport.ImportKeyMaterialAsync(request), 400, KmsErrorCodes.ImportTokenExpired);
    }

    [Test]
    public async Task Material_Errors()
    {
        string keyId = (await _transport.CreateKeyAsync(new CreateKeyRequest("material"))).KeyId;
        ImportParameters parameters = await _transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        ImportParameters other = await _transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);

        KmsRequestFailedException decrypt = AssertFails(() => _transport.ImportKeyMaterialAsync(Wrap(other, material) with { ImportToken = parameters.ImportToken }), 400, KmsErrorCodes.DecryptionFailed);
        Assert.That(decrypt.ServiceMessage, Does.Contain("RSAES_OAEP_SHA_256"));
        string shortMaterial = Convert.ToBase64String(EncryptWithWrappingKey(parameters, RandomNumberGenerator.GetBytes(16)));
        AssertFails(() => _transport.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(keyId, parameters.ImportToken, shortMaterial)), 400, KmsErrorCodes.MaterialLengthInvalid);
        AssertFails(() => _transport.ImportKeyMaterialAsync(Wrap(parameters, material, _fixture.KmsTime.GetUtcNow().AddMinutes(-1))), 400, KmsErrorCodes.ExpirationTimeInvalid);

        // Import, delete, then only the same material may come back.
        await _transport.ImportKeyMaterialAsync(Wrap(parameters, material));
        await _transport.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(keyId));
        ImportParameters again = await _transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        using KeyMaterial different = RandomSymmetric(KeySpec.Aes256);
        AssertFails(() => _transport.ImportKeyMaterialAsync(Wrap(again, different)), 400, KmsErrorCodes.MaterialMismatch);
        await _transport.ImportKeyMaterialAsync(Wrap(again, material));
        Assert.That(_fixture.Kms.GetImportCount(keyId), Is.EqualTo(2));
    }

    [Test]
    public async Task Private_Key_Errors()
    {
        string keyId = (await _transport.CreateKeyAsync(new CreateKeyRequest("private") { KeySpec = KeySpec.Rsa2048 })).KeyId;
        ImportParameters parameters = await _transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        using ECDsa ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] ecKey = ec.ExportPkcs8PrivateKey();

        AssertFails(() => _transport.ImportKeyMaterialAsync(WrapManually(parameters, RandomNumberGenerator.GetBytes(32), null)), 400, KmsErrorCodes.PrivateKeyMissing);
        AssertFails(() => _transport.ImportKeyMaterialAsync(WrapManually(parameters, RandomNumberGenerator.GetBytes(24), ecKey)), 400, KmsErrorCodes.TemporaryKeyLengthInvalid);
        AssertFails(() => _transport.ImportKeyMaterialAsync(WrapManually(parameters, RandomNumberGenerator.GetBytes(32), ecKey)), 400, KmsErrorCodes.PrivateKeyInvalid);
    }

    [Test]
    public async Task Expired_Material_Returns_The_Key_To_Pending_Import()
    {
        string keyId = (await _transport.CreateKeyAsync(new CreateKeyRequest("expiring"))).KeyId;
        ImportParameters parameters = await _transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        await _transport.ImportKeyMaterialAsync(Wrap(parameters, material, _fixture.KmsTime.GetUtcNow().AddHours(2)));
        _fixture.KmsTime.Advance(TimeSpan.FromHours(2));
        KeyDetails details = await _transport.DescribeKeyAsync(new DescribeKeyRequest(keyId));
        Assert.That(details.KeyState, Is.EqualTo(KeyState.PendingImport));
        Assert.That(details.MaterialExpiresOn, Is.Null);
    }

    [Test]
    public async Task Sixty_Four_Concurrent_Imports_Through_One_Transport()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(async i =>
        {
            string keyId = (await _transport.CreateKeyAsync(new CreateKeyRequest($"concurrent-{i}"))).KeyId;

            // Fresh RSA keys for 64 keys would dominate the run time; a few go through the wire.
            ImportParameters parameters = i % 16 == 0
                ? await _transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId))
                : IssueWithSharedWrappingKey(_fixture.Kms, keyId);
            using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
            await _transport.ImportKeyMaterialAsync(Wrap(parameters, material));
            return (KeyId: keyId, Fingerprint: material.ComputeFingerprint());
        }));

        Assert.Multiple(() =>
        {
            foreach (var (keyId, fingerprint) in results)
            {
                Assert.That(_fixture.Kms.GetImportCount(keyId), Is.EqualTo(1));
                Assert.That(_fixture.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(fingerprint));
            }

            Assert.That(_fixture.Server.GetRequestCount("import-key-material"), Is.EqualTo(64));
        });
    }
}
