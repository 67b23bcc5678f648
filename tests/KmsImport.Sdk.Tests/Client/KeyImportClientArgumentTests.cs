using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Tests.TestSupport;
using Moq;
using static KmsImport.Sdk.Tests.TestSupport.ClientTestContext;

namespace KmsImport.Sdk.Tests.Client;

// Client-side argument checks: each fails with a clear message before any request.
[CancelAfter(10_000)]
public class KeyImportClientArgumentTests
{
    private static readonly string[] s_badKeyIds =
    [
        "",
        "not-a-key-id",
        "0D0466B0-E727-4D9C-B35D-F84BB474A37F",
        "0d0466b0e7274d9cb35df84bb474a37f",
        "0d0466b0-e727-4d9c-b35d-f84bb474a37f\n",
        " 0d0466b0-e727-4d9c-b35d-f84bb474a37f",
        "0d0466b0-e727-4d9c-b35d-f84bb474a37",
        "alias/my-key",
    ];

    [TestCaseSource(nameof(s_badKeyIds))]
    public void Operations_Reject_A_Malformed_Key_Id_Before_Any_Request(string keyId)
    {
        var context = new ClientTestContext();
        using KeyMaterial material = NewAes256();

        Assert.Multiple(() =>
        {
            AssertKeyIdRejected(() => context.Client.DescribeKeyAsync(keyId));
            AssertKeyIdRejected(() => context.Client.GetParametersForImportAsync(keyId));
            AssertKeyIdRejected(() => context.Client.DeleteImportedKeyMaterialAsync(keyId));
            AssertKeyIdRejected(() => context.Client.ImportWrappedKeyMaterialAsync(new ImportKeyMaterialRequest(keyId, Token("t"), "AAAA")));
            AssertKeyIdRejected(() => context.Client.ImportKeyMaterialAsync(keyId, material));
        });
        context.Transport.VerifyNoOtherCalls();
    }

    [Test]
    public void Operations_Reject_Null_Arguments()
    {
        var context = new ClientTestContext();
        using KeyMaterial material = NewAes256();

        Assert.Multiple(() =>
        {
            Assert.That(() => context.Client.DescribeKeyAsync(null!), Throws.ArgumentNullException);
            Assert.That(() => context.Client.CreateKeyAsync(null!), Throws.ArgumentNullException);
            Assert.That(() => context.Client.ImportWrappedKeyMaterialAsync(null!), Throws.ArgumentNullException);
            Assert.That(() => context.Client.ImportKeyMaterialAsync(NewKeyId(), null!), Throws.ArgumentNullException);
            Assert.That(() => context.Client.CreateKeyAndImportAsync(null!, material), Throws.ArgumentNullException);
            Assert.That(() => context.Client.CreateKeyAndImportAsync(new CreateKeyRequest("alias"), null!), Throws.ArgumentNullException);
            Assert.That(() => context.Client.ImportBatchAsync(null!), Throws.ArgumentNullException);
        });
        context.Transport.VerifyNoOtherCalls();
    }

    private static IEnumerable<TestCaseData> InvalidCreateKeyRequests()
    {
        yield return new TestCaseData(new CreateKeyRequest(""), "alias").SetArgDisplayNames("empty alias");
        yield return new TestCaseData(new CreateKeyRequest("my key"), "alias").SetArgDisplayNames("alias with a space");
        yield return new TestCaseData(new CreateKeyRequest("key.with.dots"), "alias").SetArgDisplayNames("alias with dots");
        yield return new TestCaseData(new CreateKeyRequest("ключ"), "alias").SetArgDisplayNames("alias in Cyrillic");
        yield return new TestCaseData(new CreateKeyRequest(new string('a', 256)), "alias").SetArgDisplayNames("alias of 256 characters");
        yield return new TestCaseData(new CreateKeyRequest("alias") { KeyDescription = new string('d', 256) }, "256 characters").SetArgDisplayNames("description of 256 characters");
        yield return new TestCaseData(new CreateKeyRequest("alias") { Sequence = "123" }, "36 characters").SetArgDisplayNames("sequence of 3 characters");
    }

    [TestCaseSource(nameof(InvalidCreateKeyRequests))]
    public void CreateKey_Rejects_A_Malformed_Request_Before_Any_Request(CreateKeyRequest request, string expectedInMessage)
    {
        var context = new ClientTestContext();

        Assert.That(
            () => context.Client.CreateKeyAsync(request),
            Throws.ArgumentException.With.Message.Contains(expectedInMessage).And.Property(nameof(ArgumentException.ParamName)).EqualTo("request"));
        context.Transport.VerifyNoOtherCalls();
    }

    [Test]
    public async Task CreateKey_Accepts_The_Longest_Valid_Alias_And_Description_And_Passes_The_Request_On()
    {
        var context = new ClientTestContext();
        var request = new CreateKeyRequest("tenant:a/b_c-" + new string('x', 242))
        {
            KeyDescription = new string('d', 255),
            Sequence = Guid.NewGuid().ToString("D"),
        };
        string keyId = NewKeyId();
        context.Transport.Setup(t => t.CreateKeyAsync(request, It.IsAny<CancellationToken>())).ReturnsAsync(KmsImportModelFactory.CreateKeyResult(keyId, "domain"));

        CreateKeyResult result = await context.Client.CreateKeyAsync(request);

        Assert.That(result.KeyId, Is.EqualTo(keyId));
    }

    [Test]
    public void ImportWrapped_Rejects_An_Expiry_In_The_Past_And_Empty_Fields()
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();

        Assert.Multiple(() =>
        {
            Assert.That(
                () => context.Client.ImportWrappedKeyMaterialAsync(new ImportKeyMaterialRequest(keyId, Token("t"), "AAAA") { MaterialExpiresOn = Start }),
                Throws.InstanceOf<KeyImportValidationException>().With.Message.Contains("not in the future"));
            Assert.That(() => context.Client.ImportWrappedKeyMaterialAsync(new ImportKeyMaterialRequest(keyId, string.Empty, "AAAA")), Throws.ArgumentException.With.Message.Contains("import token"));
            Assert.That(() => context.Client.ImportWrappedKeyMaterialAsync(new ImportKeyMaterialRequest(keyId, Token("t"), string.Empty)), Throws.ArgumentException.With.Message.Contains("encrypted key material"));
        });
        context.Transport.VerifyNoOtherCalls();
    }

    [Test]
    public void Argument_Errors_Do_Not_Echo_The_Import_Token()
    {
        var context = new ClientTestContext();
        string token = Token("secret");

        ArgumentException? ex = Assert.Throws<ArgumentException>(
            () => context.Client.ImportWrappedKeyMaterialAsync(new ImportKeyMaterialRequest("bad", token, "AAAA")));

        Assert.That(ex!.Message, Does.Not.Contain(token));
    }

    [Test]
    public async Task Simple_Operations_Pass_Requests_And_The_Cancellation_Token_To_The_Transport()
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using var cts = new CancellationTokenSource();
        CancellationToken token = cts.Token;
        ImportParameters parameters = Parameters(keyId, WrappingKeyA, Token("p"), Start.AddHours(24), WrappingAlgorithm.RsaesOaepSha1);
        var wrapped = new ImportKeyMaterialRequest(keyId, Token("p"), "AAAA");
        context.Transport.Setup(t => t.DescribeKeyAsync(new DescribeKeyRequest(keyId), token)).ReturnsAsync(Details(keyId, KeyState.PendingImport));
        context.Transport
            .Setup(t => t.GetParametersForImportAsync(new GetParametersForImportRequest(keyId) { WrappingAlgorithm = WrappingAlgorithm.RsaesOaepSha1 }, token))
            .ReturnsAsync(parameters);
        context.Transport.Setup(t => t.ImportKeyMaterialAsync(wrapped, token)).Returns(Task.CompletedTask);
        context.Transport.Setup(t => t.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(keyId), token)).Returns(Task.CompletedTask);

        KeyDetails details = await context.Client.DescribeKeyAsync(keyId, token);
        ImportParameters fetched = await context.Client.GetParametersForImportAsync(keyId, WrappingAlgorithm.RsaesOaepSha1, token);
        await context.Client.ImportWrappedKeyMaterialAsync(wrapped, token);
        await context.Client.DeleteImportedKeyMaterialAsync(keyId, token);

        Assert.Multiple(() =>
        {
            Assert.That(details.KeyState, Is.EqualTo(KeyState.PendingImport));
            Assert.That(fetched, Is.SameAs(parameters));
        });
        context.Transport.VerifyAll();
    }

    [Test]
    public async Task GetParametersForImport_Defaults_To_Oaep_Sha256_And_Is_Never_Cached()
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("p"), Start.AddHours(24)));

        await context.Client.GetParametersForImportAsync(keyId);
        await context.Client.GetParametersForImportAsync(keyId);

        context.Transport.Verify(
            t => t.GetParametersForImportAsync(It.Is<GetParametersForImportRequest>(r => r.WrappingAlgorithm == WrappingAlgorithm.RsaesOaepSha256), It.IsAny<CancellationToken>()),
            Times.Exactly(2));
    }

    [TestCase(0)]
    [TestCase(257)]
    public void Batch_Rejects_A_Concurrency_Out_Of_Range(int maxConcurrency)
    {
        var context = new ClientTestContext();

        Assert.That(
            () => context.Client.ImportBatchAsync([], new BatchImportOptions { MaxConcurrency = maxConcurrency }),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("MaxConcurrency"));
    }

    [Test]
    public void Batch_Options_Defaults_Are_Pinned()
    {
        var options = new BatchImportOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.MaxConcurrency, Is.EqualTo(8));
            Assert.That(options.Progress, Is.Null);
            Assert.That(new ImportKeyMaterialOptions().WrappingAlgorithm, Is.EqualTo(WrappingAlgorithm.RsaesOaepSha256));
            Assert.That(new ImportKeyMaterialOptions().Expiry, Is.EqualTo(MaterialExpiry.Never));
            Assert.That(KeyImportClient.MaxImportAttempts, Is.EqualTo(3));
        });
    }

    private static void AssertKeyIdRejected(Func<Task> call) =>
        Assert.That(call, Throws.InstanceOf<ArgumentException>().With.Message.Contains("not a KMS key id"));
}
