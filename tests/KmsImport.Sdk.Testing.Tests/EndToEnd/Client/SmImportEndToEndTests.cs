using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using Org.BouncyCastle.Security;

namespace KmsImport.Sdk.Testing.Tests.EndToEnd.Client;

// SM4 and SM2 imports (SM2_ENCRYPT) end to end against the emulator playing each cloud's capability profile,
// in process and over HTTP on loopback; and the legacy algorithms only on request.
[CancelAfter(120_000)]
public class SmImportEndToEndTests
{
    private static readonly ImportKeyMaterialOptions s_sm2Encrypt = new() { WrappingAlgorithm = WrappingAlgorithm.Sm2Encrypt };

    [Test]
    public async Task Sm4_And_Sm2_Import_In_Process_In_A_Chinese_Region_Profile(CancellationToken cancellationToken)
    {
        using var kms = new LocalKms(new LocalKmsOptions { Capabilities = KmsCapabilities.HuaweiChineseRegions, Realm = "cn-north-4" });
        var client = new KeyImportClient(kms, new KeyImportClientOptions { Region = "cn-north-4" });
        await ImportSm4AndSm2Async(client, kms, cancellationToken);
    }

    [Test]
    public async Task Sm4_And_Sm2_Import_Over_Http_In_A_Chinese_Region_Profile(CancellationToken cancellationToken)
    {
        using var kms = new LocalKms(new LocalKmsOptions { Capabilities = KmsCapabilities.HuaweiChineseRegions, Realm = "cn-east-3" });
        await using LocalKmsServer server = await LocalKmsServer.StartAsync(new LocalKmsServerOptions { Emulator = kms });
        await using ServiceProvider provider = ClientOver(server, o => o.Region = "cn-east-3");
        IKeyImportClient client = provider.GetRequiredService<IKeyImportClient>();
        Assert.That(provider.GetRequiredService<IKmsTransport>(), Is.InstanceOf<HttpKmsTransport>());
        await ImportSm4AndSm2Async(client, kms, cancellationToken);
    }

    [Test]
    public async Task Sm2_Wrapping_Key_From_Get_Parameters_Is_Sm2_And_Rsa_Wrapping_Under_It_Is_Refused(CancellationToken cancellationToken)
    {
        using var kms = new LocalKms(new LocalKmsOptions { Capabilities = KmsCapabilities.HuaweiChineseRegions });
        CreateKeyResult created = await kms.CreateKeyAsync(new CreateKeyRequest("sm/params") { KeySpec = KeySpec.Sm4, Origin = KeyOrigin.External }, cancellationToken);
        ImportParameters parameters = await kms.GetParametersForImportAsync(new GetParametersForImportRequest(created.KeyId) { WrappingAlgorithm = WrappingAlgorithm.Sm2Encrypt }, cancellationToken);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(16), KeySpec.Sm4);
        Assert.Multiple(() =>
        {
            Assert.That(parameters.WrappingKey.IsSm2, Is.True);
            Assert.That(parameters.WrappingKey.ToString(), Does.Contain("SM2"));
            Assert.That(() => KeyMaterialWrapper.Shared.Wrap(material, parameters.WrappingKey, WrappingAlgorithm.RsaesOaepSha256),
                Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("SM2 key").And.Message.Contains("SM2_ENCRYPT"));
        });

        // A ciphertext altered in its SM3 hash is the service's KMS.0311.
        WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(material, parameters.WrappingKey, WrappingAlgorithm.Sm2Encrypt);
        byte[] tampered = wrapped.EncryptedKeyMaterial.ToArray();
        tampered[^20] ^= 0x01;
        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(created.KeyId, parameters.ImportToken, Convert.ToBase64String(tampered)), cancellationToken));
        Assert.That(ex!.ErrorCode, Is.EqualTo(KmsErrorCodes.DecryptionFailed));

        await kms.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(created.KeyId, parameters.ImportToken, wrapped.EncryptedKeyMaterialBase64), cancellationToken);
        Assert.That(kms.GetImportedMaterialFingerprint(created.KeyId), Is.EqualTo(material.ComputeFingerprint()));
    }

    [Test]
    public async Task Sm_Imports_Are_Refused_Before_Any_Request_In_An_Otc_Profile_Naming_Cloud_Region_And_Alternative(CancellationToken cancellationToken)
    {
        using var kms = new LocalKms(new LocalKmsOptions { Capabilities = KmsCapabilities.OpenTelekomCloud, Realm = "eu-de" });
        await using LocalKmsServer server = await LocalKmsServer.StartAsync(new LocalKmsServerOptions { Emulator = kms });
        await using ServiceProvider provider = ClientOver(server, o =>
        {
            o.Cloud = KmsCloud.OpenTelekomCloud;
            o.Region = "eu-de";
        });
        IKeyImportClient client = provider.GetRequiredService<IKeyImportClient>();
        using KeyMaterial sm4 = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(16), KeySpec.Sm4);

        var ex = Assert.ThrowsAsync<KeyImportValidationException>(() => client.CreateKeyAndImportAsync(new CreateKeyRequest("sm/otc") { KeySpec = KeySpec.Sm4 }, sm4, s_sm2Encrypt, cancellationToken));
        Assert.That(ex!.Message, Does.Contain("Open Telekom Cloud region eu-de").And.Contain("does not import SM4").And.Contain("cn-*").And.Contain("KeyImportClientOptions.Capabilities"));

        using KeyMaterial aes = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        ex = Assert.ThrowsAsync<KeyImportValidationException>(() => client.CreateKeyAndImportAsync(new CreateKeyRequest("sm/otc-aes"), aes, s_sm2Encrypt, cancellationToken));
        Assert.That(ex!.Message, Does.Contain("does not offer the wrapping algorithm SM2_ENCRYPT").And.Contain("RSAES_OAEP_SHA_256"));
        Assert.That(kms.KeyCount, Is.Zero, "nothing was sent");

        // A user who overrides the table still meets the service's own refusal, in the emulator's OTC profile.
        await using ServiceProvider overridden = ClientOver(server, o =>
        {
            o.Cloud = KmsCloud.OpenTelekomCloud;
            o.Region = "eu-de";
            o.Capabilities = KmsCapabilities.OpenTelekomCloud.With(KeySpec.Sm4).With(WrappingAlgorithm.Sm2Encrypt);
        });
        var refused = Assert.ThrowsAsync<KmsRequestFailedException>(() => overridden.GetRequiredService<IKeyImportClient>()
            .CreateKeyAndImportAsync(new CreateKeyRequest("sm/otc-override") { KeySpec = KeySpec.Sm4 }, sm4, s_sm2Encrypt, cancellationToken));
        Assert.That(refused!.ServiceMessage, Does.Contain("SM4").And.Contain("Open Telekom Cloud"));
    }

    [Test]
    public void Hmac_Is_Refused_In_A_Huawei_International_Region_And_Allowed_By_Override(CancellationToken cancellationToken)
    {
        using var kms = new LocalKms();
        using KeyMaterial hmac = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Hmac256);
        var huawei = new KeyImportClient(kms, new KeyImportClientOptions { Region = "ap-southeast-1" });
        var ex = Assert.ThrowsAsync<KeyImportValidationException>(() => huawei.CreateKeyAndImportAsync(new CreateKeyRequest("mac") { KeySpec = KeySpec.Hmac256 }, hmac, cancellationToken: cancellationToken));
        Assert.That(ex!.Message, Does.Contain("Huawei Cloud region ap-southeast-1").And.Contain("Open Telekom Cloud imports HMAC"));

        var overridden = new KeyImportClient(kms, new KeyImportClientOptions { Region = "ap-southeast-1", Capabilities = KmsCapabilities.For(KmsCloud.Huawei, "ap-southeast-1").With(KeySpec.Hmac256) });
        Assert.DoesNotThrowAsync(() => overridden.CreateKeyAndImportAsync(new CreateKeyRequest("mac") { KeySpec = KeySpec.Hmac256 }, hmac, cancellationToken: cancellationToken));
    }

    [Test]
    public async Task Legacy_Algorithms_Need_The_Opt_In_And_Warn_Each_Time(CancellationToken cancellationToken)
    {
        using var kms = new LocalKms(new LocalKmsOptions { Capabilities = KmsCapabilities.OpenTelekomCloud });
        using KeyMaterial aes = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using KeyMaterial ecKey = KeyMaterial.FromECDsa(ec);
        var pkcs1 = new ImportKeyMaterialOptions { WrappingAlgorithm = WrappingAlgorithm.RsaesPkcs1V15 };
        var sha1 = new ImportKeyMaterialOptions { WrappingAlgorithm = WrappingAlgorithm.RsaesOaepSha1 };

        var strict = new KeyImportClient(kms, new KeyImportClientOptions { Cloud = KmsCloud.OpenTelekomCloud, Region = "eu-de" });
        var ex = Assert.ThrowsAsync<KeyImportValidationException>(() => strict.CreateKeyAndImportAsync(new CreateKeyRequest("legacy"), aes, sha1, cancellationToken));
        Assert.That(ex!.Message, Does.Contain("legacy").And.Contain("AllowLegacyWrappingAlgorithms").And.Contain("--allow-legacy"));
        Assert.That(kms.KeyCount, Is.Zero);

        var logger = new FakeLogger<KeyImportClient>();
        var allowing = new KeyImportClient(kms, new KeyImportClientOptions { Cloud = KmsCloud.OpenTelekomCloud, Region = "eu-de", AllowLegacyWrappingAlgorithms = true }, logger: logger);
        KeyImportResult first = await allowing.CreateKeyAndImportAsync(new CreateKeyRequest("legacy-1"), aes, pkcs1, cancellationToken);
        KeyImportResult second = await allowing.CreateKeyAndImportAsync(new CreateKeyRequest("legacy-2"), aes, sha1, cancellationToken);
        KeyImportResult third = await allowing.CreateKeyAndImportAsync(new CreateKeyRequest("legacy-3") { KeySpec = KeySpec.EcP256 }, ecKey, sha1, cancellationToken);
        Assert.Multiple(() =>
        {
            Assert.That(kms.GetImportedMaterialFingerprint(first.KeyId), Is.EqualTo(aes.ComputeFingerprint()));
            Assert.That(kms.GetImportedMaterialFingerprint(second.KeyId), Is.EqualTo(aes.ComputeFingerprint()));
            Assert.That(kms.GetImportedMaterialFingerprint(third.KeyId), Is.EqualTo(ecKey.ComputeFingerprint()));
            IEnumerable<FakeLogRecord> warnings = logger.Collector.GetSnapshot().Where(r => r.Level == LogLevel.Warning && r.Message.Contains("legacy wrapping algorithm", StringComparison.Ordinal));
            Assert.That(warnings.Select(r => r.Message), Has.Exactly(1).Contains("RSAES_PKCS1_V1_5").And.Exactly(2).Contains("RSAES_OAEP_SHA_1"));
        });

        // PKCS#1 v1.5 never wraps a private key, opt-in or not.
        ex = Assert.ThrowsAsync<KeyImportValidationException>(() => allowing.CreateKeyAndImportAsync(new CreateKeyRequest("legacy-4") { KeySpec = KeySpec.EcP256 }, ecKey, pkcs1, cancellationToken));
        Assert.That(ex!.Message, Does.Contain("never wrapped with RSAES_PKCS1_V1_5"));
    }

    private static async Task ImportSm4AndSm2Async(IKeyImportClient client, LocalKms kms, CancellationToken cancellationToken)
    {
        using KeyMaterial sm4 = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(16), KeySpec.Sm4);
        KeyImportResult sm4Result = await client.CreateKeyAndImportAsync(new CreateKeyRequest("sm/sm4") { KeySpec = KeySpec.Sm4 }, sm4, s_sm2Encrypt, cancellationToken);

        using KeyMaterial sm2 = KeyMaterial.FromPrivateKey(NewSm2Pkcs8(), expectedKeySpec: KeySpec.Sm2);
        CreateKeyResult created = await client.CreateKeyAsync(new CreateKeyRequest("sm/sm2") { KeySpec = KeySpec.Sm2, KeyUsage = KeyUsage.SignVerify }, cancellationToken);
        KeyImportResult sm2Result = await client.ImportKeyMaterialAsync(created.KeyId, sm2, s_sm2Encrypt, cancellationToken);

        // An SM key wrapped with RSA is refused by the pre-flight, with the fix.
        using KeyMaterial another = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(16), KeySpec.Sm4);
        var ex = Assert.ThrowsAsync<KeyImportValidationException>(() => client.CreateKeyAndImportAsync(new CreateKeyRequest("sm/rsa") { KeySpec = KeySpec.Sm4 }, another, cancellationToken: cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(sm4Result.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(kms.GetImportedMaterialFingerprint(sm4Result.KeyId), Is.EqualTo(sm4.ComputeFingerprint()));
            Assert.That(sm2Result.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(kms.GetImportedMaterialFingerprint(created.KeyId), Is.EqualTo(sm2.ComputeFingerprint()));
            Assert.That(sm2Result.Confirmation.Kind, Is.EqualTo(ImportConfirmationKind.PublicKeyMatches), "our SM2 public key (BouncyCastle) equals the service's");
            Assert.That(ex!.Message, Does.Contain("SM2_ENCRYPT").And.Contain("WrappingAlgorithm.Sm2Encrypt"));
        });
    }

    // An SM2 key from BouncyCastle's generator, PKCS#8 as BouncyCastle encodes it (the SDK normalizes it to OpenSSL's form).
    private static byte[] NewSm2Pkcs8()
    {
        var domain = new ECNamedDomainParameters(GMObjectIdentifiers.sm2p256v1, GMNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1));
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(domain, new SecureRandom()));
        AsymmetricCipherKeyPair pair = generator.GenerateKeyPair();
        return PrivateKeyInfoFactory.CreatePrivateKeyInfo(pair.Private).GetDerEncoded();
    }

    private static ServiceProvider ClientOver(LocalKmsServer server, Action<KeyImportClientOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddKeyImportClient(new AccessKeyCredential(server.AccessKey, server.SecretKey), options =>
        {
            options.Endpoint = server.BaseAddress;
            options.ProjectId = server.ProjectId;
            options.Retry.BaseDelay = TimeSpan.FromMilliseconds(20);
            configure(options);
        });
        return services.BuildServiceProvider();
    }
}
