using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using Microsoft.Extensions.Logging.Testing;
using static KmsImport.Sdk.Testing.Tests.TestSupport.LocalKmsTestKit;

namespace KmsImport.Sdk.Testing.Tests.EndToEnd.Client;

/// <summary>
/// The 2026 contract over real loopback sockets against LocalKmsServer: create-key that never loses
/// a key and never makes two, imports confirmed by the key's public key, frozen keys, custom
/// keystores, duplicate aliases, list-keys and get-publickey.
/// </summary>
[CancelAfter(300_000)]
public class KeyLifecycle2026EndToEndTests
{
    private EndToEndFixture _fixture = null!;
    private FakeLogger<KeyImportClient> _logger = null!;
    private KeyImportClient _client = null!;

    [SetUp]
    public async Task SetUp()
    {
        _fixture = await EndToEndFixture.StartAsync();
        _logger = new FakeLogger<KeyImportClient>();
        _client = new KeyImportClient(_fixture.Transport, logger: _logger);
    }

    [TearDown]
    public async Task TearDown()
    {
        _client.Dispose();
        await _fixture.DisposeAsync();
    }

    [Test]
    public async Task A_503_On_Create_Key_Ends_With_One_Key_For_The_Alias_And_The_Import_Done()
    {
        string alias = UniqueAlias("e2e-503");
        LocalKmsFault fault = _fixture.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.ServerError) { Operation = "create-key", StatusCode = 503 });
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);

        KeyImportResult result = await _client.CreateKeyAndImportAsync(new CreateKeyRequest(alias), material);

        await AssertOneImportedKeyAsync(alias, result, material);
        Assert.That(fault.Triggered, Is.EqualTo(1));
        Assert.That(_fixture.Server.GetRequestCount("create-key"), Is.EqualTo(2), "the transport retried the 503");
    }

    [Test]
    public async Task A_503_After_Creating_On_Create_Key_Ends_With_One_Key_For_The_Alias_And_The_Import_Done()
    {
        // The transport retries the 503 (RFC 9110), whose request nevertheless created the key: the
        // retry is answered KMS.1104, which the client settles by the alias instead of reporting a duplicate.
        string alias = UniqueAlias("e2e-503-after");
        LocalKmsFault fault = _fixture.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.ServerError) { Operation = "create-key", StatusCode = 503, Timing = LocalKmsFaultTiming.AfterProcessing });
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);

        KeyImportResult result = await _client.CreateKeyAndImportAsync(new CreateKeyRequest(alias), material);

        await AssertOneImportedKeyAsync(alias, result, material);
        Assert.That(fault.Triggered, Is.EqualTo(1));
        Assert.That(_fixture.Server.GetRequestCount("create-key"), Is.EqualTo(2), "the transport retried the 503 once");
        Assert.That(_fixture.Server.GetRequestCount("list-keys"), Is.GreaterThanOrEqualTo(1), "settled by the alias");
    }

    [TestCase(LocalKmsFaultKind.ServerError, 500)]
    [TestCase(LocalKmsFaultKind.ServerError, 504)]
    [TestCase(LocalKmsFaultKind.DropConnection, 0)]
    public async Task An_Unknown_Outcome_After_Creating_Ends_With_One_Key_For_The_Alias_And_The_Import_Done(LocalKmsFaultKind kind, int status)
    {
        string alias = UniqueAlias("e2e-after");
        _fixture.Server.Faults.Add(new LocalKmsFault(kind) { Operation = "create-key", StatusCode = status == 0 ? null : status, Timing = LocalKmsFaultTiming.AfterProcessing });
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);

        KeyImportResult result = await _client.CreateKeyAndImportAsync(new CreateKeyRequest(alias), material);

        await AssertOneImportedKeyAsync(alias, result, material);
        Assert.That(_logger.Collector.GetSnapshot().Select(r => r.Id.Id), Does.Contain(1019), "logged that it settled an unknown outcome");
        Assert.That(_fixture.Server.GetRequestCount("list-keys"), Is.GreaterThanOrEqualTo(1));
    }

    [Test]
    public async Task Create_Key_Alone_Settles_A_500_After_Creating_To_The_Key_Created()
    {
        string alias = UniqueAlias("e2e-create");
        _fixture.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.ServerError) { Operation = "create-key", Timing = LocalKmsFaultTiming.AfterProcessing });

        CreateKeyResult created = await _client.CreateKeyAsync(new CreateKeyRequest(alias) { KeySpec = KeySpec.Rsa2048 });

        List<KeyDetails> withAlias = await KeysWithAliasAsync(alias);
        Assert.That(withAlias.Select(k => k.KeyId), Is.EqualTo(new[] { created.KeyId }));
        Assert.That(withAlias[0].KeySpec, Is.EqualTo(KeySpec.Rsa2048));
    }

    [Test]
    public async Task An_RSA_Import_Reports_Public_Key_Matches_Over_The_PKCS1_Public_Key_The_Service_Sends()
    {
        using var rsa = RSA.Create(2048);
        using KeyMaterial material = KeyMaterial.FromRsa(rsa);

        KeyImportResult result = await _client.CreateKeyAndImportAsync(new CreateKeyRequest(UniqueAlias("e2e-rsa")) { KeySpec = KeySpec.Rsa2048 }, material);

        KmsPublicKey publicKey = await _client.GetPublicKeyAsync(result.KeyId);
        Assert.Multiple(() =>
        {
            Assert.That(result.Confirmation.Kind, Is.EqualTo(ImportConfirmationKind.PublicKeyMatches));
            Assert.That(result.Confirmation.Description, Is.EqualTo("public key matches"));
            Assert.That(result.Confirmation.MaterialFingerprint, Is.EqualTo(material.ComputeFingerprint()));
            Assert.That(publicKey.Pem, Does.StartWith("-----BEGIN PUBLIC KEY-----\r\n").And.EndWith("-----END PUBLIC KEY-----\r\n"));
            Assert.That(publicKey.SubjectPublicKeyInfo.ToArray(), Is.EqualTo(rsa.ExportSubjectPublicKeyInfo()));
            Assert.That(result.Confirmation.PublicKeyFingerprint, Is.EqualTo(publicKey.Fingerprint));
        });
    }

    [Test]
    public async Task An_EC_Import_Reports_Public_Key_Matches()
    {
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using KeyMaterial material = KeyMaterial.FromECDsa(ec);

        KeyImportResult result = await _client.CreateKeyAndImportAsync(new CreateKeyRequest(UniqueAlias("e2e-ec")) { KeySpec = KeySpec.EcP384 }, material);

        Assert.That(result.Confirmation.Kind, Is.EqualTo(ImportConfirmationKind.PublicKeyMatches));
        Assert.That(result.Confirmation.PublicKeyFingerprint, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(ec.ExportSubjectPublicKeyInfo()))));
    }

    [Test]
    public async Task A_Symmetric_Import_Is_Confirmed_By_The_Service_And_Get_Publickey_Refuses_Symmetric_Keys()
    {
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);

        KeyImportResult result = await _client.CreateKeyAndImportAsync(new CreateKeyRequest(UniqueAlias("e2e-aes")), material);

        Assert.That(result.Confirmation.Kind, Is.EqualTo(ImportConfirmationKind.ServiceAccepted));
        AssertFails(() => _client.GetPublicKeyAsync(result.KeyId), 400, "KMS.0201");
    }

    [Test]
    public async Task A_Frozen_Key_Is_Refused_By_The_Client_Before_Anything_Is_Sent_And_By_The_Emulator_With_KMS_0320()
    {
        string keyId = await CreateExternalKeyAsync(_fixture.Transport, KeySpec.Aes256);
        ImportParameters parameters = await _fixture.Transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        _fixture.Kms.FreezeKey(keyId);
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        int parametersBefore = _fixture.Server.GetRequestCount("get-parameters-for-import");

        var refused = Assert.ThrowsAsync<KeyImportValidationException>(() => _client.ImportKeyMaterialAsync(keyId, material));

        Assert.That(refused!.Message, Does.Contain("Frozen").And.Contain("Renew the service"));
        Assert.That(_fixture.Server.GetRequestCount("get-parameters-for-import"), Is.EqualTo(parametersBefore));
        Assert.That(_fixture.Server.GetRequestCount("import-key-material"), Is.Zero);
        KmsRequestFailedException direct = AssertFails(() => _fixture.Transport.ImportKeyMaterialAsync(Wrap(parameters, material)), 400, KmsErrorCodes.ResourceFrozen);
        Assert.That(direct.Message, Does.Contain("renew"));
        Assert.That((await _client.DescribeKeyAsync(keyId)).KeyState, Is.EqualTo(KeyState.Frozen));

        _fixture.Kms.UnfreezeKey(keyId);
        KeyImportResult result = await _client.ImportKeyMaterialAsync(keyId, material);
        Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
    }

    [Test]
    public async Task Custom_Keystores_Refuse_External_Keys_And_The_Client_Refuses_Keys_In_Them()
    {
        AssertFails(() => _fixture.Transport.CreateKeyAsync(new CreateKeyRequest(UniqueAlias("e2e-ks")) { KeystoreId = "ks-1" }), 400, KmsErrorCodes.CustomKeystoreNoImport);
        CreateKeyResult kmsKey = await _fixture.Transport.CreateKeyAsync(new CreateKeyRequest(UniqueAlias("e2e-ks")) { KeystoreId = "ks-1", Origin = KeyOrigin.Kms });
        using KeyMaterial material = RandomSymmetric(KeySpec.Aes256);

        KeyDetails details = await _client.DescribeKeyAsync(kmsKey.KeyId);
        var refused = Assert.ThrowsAsync<KeyImportValidationException>(() => _client.ImportKeyMaterialAsync(kmsKey.KeyId, material));

        Assert.That(details.KeystoreId, Is.EqualTo("ks-1"));
        Assert.That(refused!.Message, Does.Contain("custom keystore 'ks-1'").And.Contain("default keystore"));
        Assert.That(_fixture.Server.GetRequestCount("get-parameters-for-import"), Is.Zero);
    }

    [Test]
    public async Task A_Duplicate_Alias_Is_KMS_1104()
    {
        string alias = UniqueAlias("e2e-dup");
        await _fixture.Transport.CreateKeyAsync(new CreateKeyRequest(alias));

        KmsRequestFailedException ex = AssertFails(() => _client.CreateKeyAsync(new CreateKeyRequest(alias)), 400, KmsErrorCodes.DuplicateAlias);

        Assert.That(ex.Message, Does.Contain("choose another alias"));
        Assert.That(await KeysWithAliasAsync(alias), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task List_Keys_Pages_Through_Every_Spec_By_Default_And_Filters_By_State_And_Spec()
    {
        string aes = await CreateExternalKeyAsync(_fixture.Transport, KeySpec.Aes256);
        string rsa = await CreateExternalKeyAsync(_fixture.Transport, KeySpec.Rsa2048);
        (string imported, KeyMaterial material) = await ImportNewAsync(_fixture.Transport, KeySpec.Hmac256);
        material.Dispose();

        var all = new List<string>();
        await foreach (KeyDetails key in _client.ListKeysAsync(new ListKeysOptions { PageSize = 1 }))
        {
            all.Add(key.KeyId);
        }

        var enabled = new List<string>();
        await foreach (KeyDetails key in _client.ListKeysAsync(new ListKeysOptions { State = KeyState.Enabled }))
        {
            enabled.Add(key.KeyId);
        }

        ListKeysPage aesOnly = await _fixture.Transport.ListKeysAsync(new ListKeysRequest { KeySpec = "AES_256" });
        ListKeysPage firstPage = await _fixture.Transport.ListKeysAsync(new ListKeysRequest { Limit = 2 });
        Assert.Multiple(() =>
        {
            Assert.That(all, Is.EqualTo(new[] { aes, rsa, imported }), "in creation order, one page at a time");
            Assert.That(enabled, Is.EqualTo(new[] { imported }));
            Assert.That(aesOnly.Keys.Select(k => k.KeyId), Is.EqualTo(new[] { aes }));
            Assert.That(firstPage.Truncated, Is.True);
            Assert.That(firstPage.NextMarker, Is.EqualTo("2"));
            Assert.That(firstPage.Total, Is.EqualTo(3));
            Assert.That(firstPage.Keys[0].CreationDate, Is.Not.Null);
        });
    }

    [Test]
    public async Task Without_A_Key_Spec_The_Emulator_Lists_AES_256_Keys_Only_As_The_Service_Does()
    {
        using var kms = new LocalKms();
        string aes = await CreateExternalKeyAsync(kms, KeySpec.Aes256);
        await CreateExternalKeyAsync(kms, KeySpec.EcP256);

        ListKeysPage page = await kms.ListKeysAsync(new ListKeysRequest { KeySpec = string.Empty });

        Assert.That(page.Keys.Select(k => k.KeyId), Is.EqualTo(new[] { aes }));
    }

    private async Task AssertOneImportedKeyAsync(string alias, KeyImportResult result, KeyMaterial material)
    {
        List<KeyDetails> withAlias = await KeysWithAliasAsync(alias);
        Assert.Multiple(() =>
        {
            Assert.That(withAlias.Select(k => k.KeyId), Is.EqualTo(new[] { result.KeyId }), "exactly one key for the alias");
            Assert.That(withAlias[0].KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(_fixture.Kms.GetImportCount(result.KeyId), Is.EqualTo(1));
            Assert.That(_fixture.Kms.GetImportedMaterialFingerprint(result.KeyId), Is.EqualTo(material.ComputeFingerprint()));
            Assert.That(_fixture.Kms.KeyCount, Is.EqualTo(1));
        });
    }

    private async Task<List<KeyDetails>> KeysWithAliasAsync(string alias)
    {
        var found = new List<KeyDetails>();
        await foreach (KeyDetails key in _client.ListKeysAsync())
        {
            if (key.KeyAlias == alias)
            {
                found.Add(key);
            }
        }

        return found;
    }
}
