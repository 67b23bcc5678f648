using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Tests.TestSupport;
using Moq;
using static KmsImport.Sdk.Tests.TestSupport.ClientTestContext;

namespace KmsImport.Sdk.Tests.Client;

[CancelAfter(20_000)]
public class KeyImportClientCreateAndImportTests
{
    [Test]
    public async Task Creates_An_External_Key_And_Imports_Into_It(CancellationToken cancellationToken)
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
            .SetArgDisplayNames("material of another spec");
        yield return new TestCaseData(new CreateKeyRequest("alias"), new ImportKeyMaterialOptions { Expiry = MaterialExpiry.At(Start.AddMinutes(-1)) }, "not in the future")
            .SetArgDisplayNames("past expiry");
        yield return new TestCaseData(new CreateKeyRequest("alias") { Origin = KeyOrigin.Kms }, new ImportKeyMaterialOptions(), "origin 'external'")
            .SetArgDisplayNames("origin not external");
        yield return new TestCaseData(new CreateKeyRequest("alias"), new ImportKeyMaterialOptions { WrappingAlgorithm = WrappingAlgorithm.Sm2Encrypt }, "SM2_ENCRYPT")
            .SetArgDisplayNames("unsupported wrapping algorithm");
    }

    [TestCaseSource(nameof(RefusedBeforeCreation))]
    public void Validation_Happens_Before_The_Key_Is_Created(CreateKeyRequest request, ImportKeyMaterialOptions options, string expectedInMessage)
    {
        var context = new ClientTestContext();
        using KeyMaterial material = NewAes256();

        KeyImportValidationException? ex = Assert.ThrowsAsync<KeyImportValidationException>(() => context.Client.CreateKeyAndImportAsync(request, material, options));

        Assert.That(ex!.Message, Does.Contain(expectedInMessage));
        context.Transport.Verify(t => t.CreateKeyAsync(It.IsAny<CreateKeyRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        context.Transport.VerifyNoOtherCalls();
    }

    // What fails after create-key succeeded, how it is scripted, what the message says, and how many imports were sent.
    private sealed record FailureAfterCreation(Action<ClientTestContext, string> Script, string[] ExpectedInMessage, int ImportsSent, Exception? Cause = null);

    private static readonly KmsRequestFailedException s_importRefused = Error(400, KmsErrorCodes.DecryptionFailed);

    private static readonly Dictionary<string, FailureAfterCreation> s_failuresAfterCreation = new()
    {
        ["import refused"] = new(
            (context, keyId) =>
            {
                context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
                context.SetupImport(keyId, s_importRefused);
            },
            ["pending import", KmsErrorCodes.DecryptionFailed],
            ImportsSent: 1,
            Cause: s_importRefused),
        ["parameters request failed"] = new(
            (context, _) => context.Transport
                .Setup(t => t.GetParametersForImportAsync(It.IsAny<GetParametersForImportRequest>(), It.IsAny<CancellationToken>()))
                .ThrowsAsync(new KmsRequestFailedException(503, "KMS.0100", "busy", "r1", "get-parameters-for-import")),
            [],
            ImportsSent: 0),
        ["unknown import outcome unresolved"] = new(
            (context, keyId) =>
            {
                context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
                context.SetupImport(keyId, Error(0));
                context.Transport
                    .Setup(t => t.DescribeKeyAsync(It.IsAny<DescribeKeyRequest>(), It.IsAny<CancellationToken>()))
                    .ThrowsAsync(Error(0));
            },
            ["unknown"],
            ImportsSent: 1),
    };

    private static IEnumerable<string> FailuresAfterCreation() => s_failuresAfterCreation.Keys;

    [TestCaseSource(nameof(FailuresAfterCreation))]
    public void A_Failure_After_Creation_Names_The_Key_Left_Pending(string failure, CancellationToken cancellationToken)
    {
        FailureAfterCreation scenario = s_failuresAfterCreation[failure];
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.Transport.Setup(t => t.CreateKeyAsync(It.IsAny<CreateKeyRequest>(), It.IsAny<CancellationToken>())).ReturnsAsync(KmsImportModelFactory.CreateKeyResult(keyId, null));
        scenario.Script(context, keyId);

        KeyLeftPendingImportException? ex = Assert.ThrowsAsync<KeyLeftPendingImportException>(
            () => context.Client.CreateKeyAndImportAsync(new CreateKeyRequest("alias"), material, cancellationToken: cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.KeyId, Is.EqualTo(keyId));
            Assert.That(ex.Message, Does.Contain(keyId));
            foreach (string expected in scenario.ExpectedInMessage)
            {
                Assert.That(ex.Message, Does.Contain(expected));
            }

            if (scenario.Cause is not null)
            {
                Assert.That(ex.InnerException, Is.SameAs(scenario.Cause));
            }
        });
        context.VerifyImportCount(keyId, scenario.ImportsSent);
    }

    [Test]
    public void A_Failed_Create_Key_Is_Reported_As_Is(CancellationToken cancellationToken)
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
