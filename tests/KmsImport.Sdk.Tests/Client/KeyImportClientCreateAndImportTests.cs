using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;
using Moq;
using static KmsImport.Sdk.Tests.Client.ClientTestContext;

namespace KmsImport.Sdk.Tests.Client;

[CancelAfter(20_000)]
public class KeyImportClientCreateAndImportTests
{
    [Test]
    public async Task Creates_an_external_key_and_imports_into_it(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        byte[] plaintext = RandomNumberGenerator.GetBytes(64);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(plaintext, KeySpec.Hmac512);
        var request = new CreateKeyRequest("tenant-42/signing") { KeySpec = KeySpec.Hmac512 };
        context.Transport.Setup(t => t.CreateKeyAsync(request, It.IsAny<CancellationToken>())).ReturnsAsync(KmsImportModelFactory.CreateKeyResult(keyId, "domain"));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
        context.SetupImport(keyId);

        KeyImportResult result = await context.Client.CreateKeyAndImportAsync(request, material, cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.KeyId, Is.EqualTo(keyId));
            Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(result.MaterialFingerprint, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(plaintext))));
            Assert.That(UnwrapSymmetric(context.ImportRequests.Single(), WrappingKeyA), Is.EqualTo(plaintext));
        });
        context.Transport.Verify(t => t.CreateKeyAsync(It.Is<CreateKeyRequest>(r => r.Origin == KeyOrigin.External), It.IsAny<CancellationToken>()), Times.Once);
    }

    private static IEnumerable<TestCaseData> RefusedBeforeCreation()
    {
        yield return new TestCaseData(new CreateKeyRequest("alias") { KeySpec = KeySpec.Rsa2048 }, new ImportKeyMaterialOptions(), "RSA_2048")
            .SetName("Create-and-import refuses material of another spec before creating the key");
        yield return new TestCaseData(new CreateKeyRequest("alias"), new ImportKeyMaterialOptions { Expiry = MaterialExpiry.At(Start.AddMinutes(-1)) }, "not in the future")
            .SetName("Create-and-import refuses a past expiry before creating the key");
        yield return new TestCaseData(new CreateKeyRequest("alias") { Origin = KeyOrigin.Kms }, new ImportKeyMaterialOptions(), "origin 'external'")
            .SetName("Create-and-import refuses a non-external origin before creating the key");
        yield return new TestCaseData(new CreateKeyRequest("alias"), new ImportKeyMaterialOptions { WrappingAlgorithm = WrappingAlgorithm.Sm2Encrypt }, "SM2_ENCRYPT")
            .SetName("Create-and-import refuses an unsupported wrapping algorithm before creating the key");
    }

    [TestCaseSource(nameof(RefusedBeforeCreation))]
    public void Validation_happens_before_the_key_is_created(CreateKeyRequest request, ImportKeyMaterialOptions options, string expectedInMessage)
    {
        var context = new ClientTestContext();
        using KeyMaterial material = NewAes256();

        KeyImportValidationException? ex = Assert.ThrowsAsync<KeyImportValidationException>(() => context.Client.CreateKeyAndImportAsync(request, material, options));

        Assert.That(ex!.Message, Does.Contain(expectedInMessage));
        context.Transport.Verify(t => t.CreateKeyAsync(It.IsAny<CreateKeyRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        context.Transport.VerifyNoOtherCalls();
    }

    [Test]
    public void A_failed_import_names_the_key_left_pending(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.Transport.Setup(t => t.CreateKeyAsync(It.IsAny<CreateKeyRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(KmsImportModelFactory.CreateKeyResult(keyId, null));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
        KmsRequestFailedException cause = Error(400, KmsErrorCodes.DecryptionFailed);
        context.SetupImport(keyId, cause);

        KeyLeftPendingImportException? ex = Assert.ThrowsAsync<KeyLeftPendingImportException>(
            () => context.Client.CreateKeyAndImportAsync(new CreateKeyRequest("alias"), material, cancellationToken: cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.KeyId, Is.EqualTo(keyId));
            Assert.That(ex.Message, Does.Contain(keyId).And.Contain("pending import").And.Contain(KmsErrorCodes.DecryptionFailed));
            Assert.That(ex.InnerException, Is.SameAs(cause));
        });
    }

    [Test]
    public void A_failed_parameters_request_after_creation_names_the_key_too(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.Transport.Setup(t => t.CreateKeyAsync(It.IsAny<CreateKeyRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(KmsImportModelFactory.CreateKeyResult(keyId, null));
        context.Transport
            .Setup(t => t.GetParametersForImportAsync(It.IsAny<GetParametersForImportRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new KmsRequestFailedException(503, "KMS.0100", "busy", "r1", "get-parameters-for-import"));

        KeyLeftPendingImportException? ex = Assert.ThrowsAsync<KeyLeftPendingImportException>(
            () => context.Client.CreateKeyAndImportAsync(new CreateKeyRequest("alias"), material, cancellationToken: cancellationToken));

        Assert.That(ex!.KeyId, Is.EqualTo(keyId));
        context.Transport.Verify(t => t.ImportKeyMaterialAsync(It.IsAny<ImportKeyMaterialRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Test]
    public void An_unresolved_unknown_outcome_says_the_import_may_have_happened(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.Transport.Setup(t => t.CreateKeyAsync(It.IsAny<CreateKeyRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(KmsImportModelFactory.CreateKeyResult(keyId, null));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
        context.SetupImport(keyId, Error(0));
        context.Transport
            .Setup(t => t.DescribeKeyAsync(It.IsAny<DescribeKeyRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(Error(0));

        KeyLeftPendingImportException? ex = Assert.ThrowsAsync<KeyLeftPendingImportException>(
            () => context.Client.CreateKeyAndImportAsync(new CreateKeyRequest("alias"), material, cancellationToken: cancellationToken));

        Assert.That(ex!.Message, Does.Contain(keyId).And.Contain("unknown"));
        context.VerifyImportCount(keyId, 1);
    }

    [Test]
    public void A_failed_create_key_is_reported_as_is(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        using KeyMaterial material = NewAes256();
        var cause = new KmsRequestFailedException(400, "KMS.0202", "alias exists", "r1", "create-key");
        context.Transport.Setup(t => t.CreateKeyAsync(It.IsAny<CreateKeyRequest>(), It.IsAny<CancellationToken>())).ThrowsAsync(cause);

        KmsRequestFailedException? ex = Assert.ThrowsAsync<KmsRequestFailedException>(
            () => context.Client.CreateKeyAndImportAsync(new CreateKeyRequest("alias"), material, cancellationToken: cancellationToken));

        Assert.That(ex, Is.SameAs(cause));
    }
}
