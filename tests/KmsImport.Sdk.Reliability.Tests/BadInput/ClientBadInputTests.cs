using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;
using KmsImport.Sdk.Testing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Time.Testing;

namespace KmsImport.Sdk.Reliability.Tests.BadInput;

/// <summary>
/// Bad input to the client: a specific exception whose message says what is wrong and how to fix it,
/// and no request sent where the problem was knowable locally (counted by a transport decorator
/// over the in-process emulator).
/// </summary>
public sealed class ClientBadInputTests : ReliabilityTest
{
    private const string WellFormedKeyId = "0d0466b0-e727-4d9c-b35d-f84bb474a37f";

    private static BadInputFiles s_files = null!;

    [OneTimeSetUp]
    public void CreateFiles() => s_files = new BadInputFiles();

    [OneTimeTearDown]
    public void DeleteFiles() => s_files.Dispose();

    // ---- The client: checks before anything is sent, or before the import is sent ----

    [Test]
    public void Malformed_Key_Id_Is_Refused_Before_Any_Request([Values("KEY-1", "0D0466B0-E727-4D9C-B35D-F84BB474A37F", "0d0466b0-e727-4d9c-b35d-f84bb474a37f\n", "alias:my-key", "")] string keyId)
    {
        using var kms = new InProcessKms();
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);

        ArgumentException? exception = Assert.ThrowsAsync(Is.InstanceOf<ArgumentException>(), () => kms.Client.ImportKeyMaterialAsync(keyId, material)) as ArgumentException;

        SecretAudit.Texts.AddException(exception);
        BadInputAssert.Mentions(exception!.Message, "key id");
        Assert.That(kms.Transport.TotalCalls, Is.Zero, "no request for a malformed key id");
        BadInputTally.Record("sdk", $"malformed key id '{keyId.ReplaceLineEndings("\\n")}'");
    }

    [Test]
    public async Task Expiry_In_The_Past_Is_Refused_Before_Any_Request()
    {
        using var kms = new InProcessKms();
        string keyId = await kms.CreateKeyAsync(KeySpec.Aes256);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);
        int before = kms.Transport.TotalCalls;

        var options = new ImportKeyMaterialOptions { Expiry = MaterialExpiry.At(kms.Time.GetUtcNow().AddMinutes(-1)) };
        KeyImportValidationException? exception = Assert.ThrowsAsync<KeyImportValidationException>(() => kms.Client.ImportKeyMaterialAsync(keyId, material, options));

        SecretAudit.Texts.AddException(exception);
        BadInputAssert.Mentions(exception!.Message, "future|past");
        Assert.That(kms.Transport.TotalCalls, Is.EqualTo(before), "no request for an expiry in the past");
        Assert.That(kms.Kms.GetImportCount(keyId), Is.Zero);
        BadInputTally.Record("sdk", "expiry in the past");
    }

    [Test]
    public async Task Expiry_For_A_Private_Key_Is_Refused_Before_Any_Request()
    {
        using var kms = new InProcessKms();
        string keyId = await kms.CreateKeyAsync(KeySpec.Rsa2048);
        using KeyMaterial material = KeyMaterial.FromPrivateKey(s_files.Read("rsa2048.der"));
        int before = kms.Transport.TotalCalls;

        var options = new ImportKeyMaterialOptions { Expiry = MaterialExpiry.After(TimeSpan.FromDays(1)) };
        KeyImportValidationException? exception = Assert.ThrowsAsync<KeyImportValidationException>(() => kms.Client.ImportKeyMaterialAsync(keyId, material, options));

        SecretAudit.Texts.AddException(exception);
        BadInputAssert.Mentions(exception!.Message, "expir", "symmetric|asymmetric|private");
        Assert.That(kms.Transport.TotalCalls, Is.EqualTo(before), "no request for an expiry on a private key");
        BadInputTally.Record("sdk", "expiry for an asymmetric key");
    }

    [TestCase("AES material for an RSA_2048 key", "aes", "RSA_2048")]
    [TestCase("EC P-256 key for an RSA_2048 key", "ec", "RSA_2048")]
    [TestCase("RSA-2048 key for an AES_256 key", "rsa", "AES_256")]
    public async Task Material_That_Does_Not_Match_The_Key_Spec_Is_Refused_Before_The_Import(string name, string kind, string keySpec)
    {
        using var kms = new InProcessKms();
        string keyId = await kms.CreateKeyAsync(new KeySpec(keySpec));
        using KeyMaterial material = kind switch
        {
            "aes" => KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256),
            "ec" => KeyMaterial.FromPrivateKey(s_files.Read("ec-p256.pem")),
            _ => KeyMaterial.FromPrivateKey(s_files.Read("rsa2048.der")),
        };

        KeyImportValidationException? exception = Assert.ThrowsAsync<KeyImportValidationException>(() => kms.Client.ImportKeyMaterialAsync(keyId, material));

        SecretAudit.Texts.AddException(exception);
        BadInputAssert.Mentions(exception!.Message, keySpec, material.KeySpec.ToString());
        Assert.That(kms.Transport.ImportCalls, Is.Zero, "the mismatch is found from describe-key, before the import");
        Assert.That((await kms.Client.DescribeKeyAsync(keyId)).KeyState, Is.EqualTo(KeyState.PendingImport));
        BadInputTally.Record("sdk", name);
    }

    [Test]
    public async Task A_Key_That_Is_Not_External_Is_Refused_Before_The_Import()
    {
        using var kms = new InProcessKms();
        string keyId = (await kms.Transport.CreateKeyAsync(new CreateKeyRequest("kms-origin") { Origin = KeyOrigin.Kms })).KeyId;
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);

        KeyImportValidationException? exception = Assert.ThrowsAsync<KeyImportValidationException>(() => kms.Client.ImportKeyMaterialAsync(keyId, material));

        SecretAudit.Texts.AddException(exception);
        BadInputAssert.Mentions(exception!.Message, "external");
        Assert.That(kms.Transport.ImportCalls, Is.Zero);
        BadInputTally.Record("sdk", "key with origin kms");
    }

    [Test]
    public async Task A_Key_That_Already_Has_Material_Is_Refused_Before_The_Import()
    {
        using var kms = new InProcessKms();
        string keyId = await kms.CreateKeyAsync(KeySpec.Aes256);
        using KeyMaterial first = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);
        await kms.Client.ImportKeyMaterialAsync(keyId, first);
        int importsBefore = kms.Transport.ImportCalls;
        using KeyMaterial second = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);

        KeyImportValidationException? exception = Assert.ThrowsAsync<KeyImportValidationException>(() => kms.Client.ImportKeyMaterialAsync(keyId, second));

        SecretAudit.Texts.AddException(exception);
        BadInputAssert.Mentions(exception!.Message, "pending import|PendingImport", "already has");
        Assert.That(kms.Transport.ImportCalls, Is.EqualTo(importsBefore));
        Assert.That(kms.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(first.ComputeFingerprint()), "the first material stays");
        BadInputTally.Record("sdk", "key already Enabled");
    }

    [Test]
    public async Task Create_And_Import_With_A_Spec_That_Does_Not_Match_Creates_No_Key()
    {
        using var kms = new InProcessKms();
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);

        KeyImportValidationException? exception = Assert.ThrowsAsync<KeyImportValidationException>(
            () => kms.Client.CreateKeyAndImportAsync(new CreateKeyRequest("mismatch") { KeySpec = KeySpec.Rsa2048 }, material));

        SecretAudit.Texts.AddException(exception);
        BadInputAssert.Mentions(exception!.Message, "RSA_2048", "AES_256");
        Assert.That(kms.Transport.TotalCalls, Is.Zero, "no key created");
        BadInputTally.Record("sdk", "create-and-import with a mismatching spec");
    }

    [Test]
    public async Task A_Key_That_Does_Not_Exist_Fails_With_KMS_0207_And_No_Import()
    {
        using var kms = new InProcessKms();
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);

        KmsRequestFailedException? exception = Assert.ThrowsAsync<KmsRequestFailedException>(() => kms.Client.ImportKeyMaterialAsync(WellFormedKeyId, material));

        SecretAudit.Texts.AddException(exception);
        Assert.That(exception!.ErrorCode, Is.EqualTo(KmsErrorCodes.KeyNotFound));
        Assert.That(kms.Transport.ImportCalls, Is.Zero);
        BadInputTally.Record("sdk", "key does not exist");
    }

    [Test]
    public async Task Another_Keys_Token_Fails_With_KMS_2603_Once_And_Leaves_The_Key_Pending()
    {
        using var kms = new InProcessKms();
        string keyA = await kms.CreateKeyAsync(KeySpec.Aes256);
        string keyB = await kms.CreateKeyAsync(KeySpec.Aes256);
        ImportParameters parametersA = await kms.Client.GetParametersForImportAsync(keyA);
        ImportParameters parametersB = await kms.Client.GetParametersForImportAsync(keyB);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);
        WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(material, parametersB.WrappingKey, WrappingAlgorithm.RsaesOaepSha256);
        int before = kms.Transport.ImportCalls;

        KmsRequestFailedException? exception = Assert.ThrowsAsync<KmsRequestFailedException>(
            () => kms.Client.ImportWrappedKeyMaterialAsync(new ImportKeyMaterialRequest(keyB, parametersA.ImportToken, wrapped.EncryptedKeyMaterialBase64)));

        SecretAudit.Texts.AddException(exception);
        Assert.That(exception!.ErrorCode, Is.EqualTo(KmsErrorCodes.ImportTokenKeyMismatch));
        BadInputAssert.Mentions(exception.Message, "another key");
        Assert.That(kms.Transport.ImportCalls - before, Is.EqualTo(1), "a 4xx is not retried");
        Assert.That(kms.Kms.GetImportCount(keyB), Is.Zero);
        BadInputTally.Record("sdk", "another key's token");
    }

    [Test]
    public async Task Expired_Parameters_Fail_With_KMS_2601_When_Imported_As_Is()
    {
        using var kms = new InProcessKms();
        string keyId = await kms.CreateKeyAsync(KeySpec.Aes256);
        ImportParameters parameters = await kms.Client.GetParametersForImportAsync(keyId);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);
        WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(material, parameters.WrappingKey, WrappingAlgorithm.RsaesOaepSha256);
        kms.Time.Advance(TimeSpan.FromHours(25));

        KmsRequestFailedException? exception = Assert.ThrowsAsync<KmsRequestFailedException>(
            () => kms.Client.ImportWrappedKeyMaterialAsync(new ImportKeyMaterialRequest(keyId, parameters.ImportToken, wrapped.EncryptedKeyMaterialBase64)));

        SecretAudit.Texts.AddException(exception);
        Assert.That(exception!.ErrorCode, Is.EqualTo(KmsErrorCodes.ImportTokenExpired));
        BadInputAssert.Mentions(exception.Message, "expired", "new import parameters|fetch");
        Assert.That(kms.Kms.GetImportCount(keyId), Is.Zero);
        BadInputTally.Record("sdk", "expired import parameters");
    }

    [Test]
    public async Task Expired_Cached_Parameters_Are_Refreshed_By_The_Workflow()
    {
        using var kms = new InProcessKms();
        string keyId = await kms.CreateKeyAsync(KeySpec.Aes256);
        await kms.Client.GetParametersForImportAsync(keyId);
        kms.Time.Advance(TimeSpan.FromHours(25));
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);

        KeyImportResult result = await kms.Client.ImportKeyMaterialAsync(keyId, material);

        Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
        Assert.That(kms.Kms.GetImportCount(keyId), Is.EqualTo(1));
    }

    [Test]
    public void Unsupported_Wrapping_Algorithm_Is_Refused_Before_Any_Request()
    {
        using var kms = new InProcessKms();
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(TestKeys.NewAes256(), KeySpec.Aes256);
        using var wrapping = RSA.Create(2048);
        WrappingPublicKey key = WrappingPublicKey.Load(wrapping.ExportSubjectPublicKeyInfo());

        KeyImportValidationException? exception = Assert.Throws<KeyImportValidationException>(
            () => KeyMaterialWrapper.Shared.Wrap(material, key, new WrappingAlgorithm("SM2_ENCRYPT")));

        SecretAudit.Texts.AddException(exception);
        BadInputAssert.Mentions(exception!.Message, "SM2_ENCRYPT", "RSAES_OAEP_SHA_256");
        BadInputTally.Record("sdk", "unsupported wrapping algorithm");
    }

    /// <summary>The in-process emulator behind a counting transport and a client with the audit's logger.</summary>
    private sealed class InProcessKms : IDisposable
    {
        public InProcessKms()
        {
            Time = new FakeTimeProvider(DateTimeOffset.UtcNow);
            Kms = new LocalKms(timeProvider: Time);
            Transport = new CountingTransport(Kms);
            Client = new KeyImportClient(Transport, timeProvider: Time, logger: SecretAudit.LoggerFactory.CreateLogger<KeyImportClient>());
        }

        public FakeTimeProvider Time { get; }

        public LocalKms Kms { get; }

        public CountingTransport Transport { get; }

        public KeyImportClient Client { get; }

        public async Task<string> CreateKeyAsync(KeySpec spec)
        {
            CreateKeyResult created = await Transport.CreateKeyAsync(new CreateKeyRequest("bad-input-" + Guid.NewGuid().ToString("N")[..8]) { KeySpec = spec });
            return created.KeyId;
        }

        public void Dispose() => Kms.Dispose();
    }
}
