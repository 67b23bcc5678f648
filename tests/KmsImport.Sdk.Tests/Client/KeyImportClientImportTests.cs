using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;
using Moq;
using static KmsImport.Sdk.Tests.TestSupport.ClientTestContext;

namespace KmsImport.Sdk.Tests.Client;

// ImportKeyMaterialAsync: parameters cache, token refresh, unknown outcomes, pre-flight checks.
[CancelAfter(20_000)]
public class KeyImportClientImportTests
{
    [Test]
    public async Task Import_Wraps_Under_The_Fetched_Key_And_Returns_The_Fingerprint(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        byte[] plaintext = RandomNumberGenerator.GetBytes(32);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(plaintext, KeySpec.Aes256);
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
        context.SetupImport(keyId);

        KeyImportResult result = await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.KeyId, Is.EqualTo(keyId));
            Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(result.MaterialExpiresOn, Is.Null);
            Assert.That(result.MaterialFingerprint, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(plaintext))));
            Assert.That(context.ImportRequests, Has.Count.EqualTo(1));
            Assert.That(context.ImportRequests[0].ImportToken, Is.EqualTo(Token("a")));
            Assert.That(context.ImportRequests[0].EncryptedPrivateKey, Is.Null);
            Assert.That(UnwrapSymmetric(context.ImportRequests[0], WrappingKeyA), Is.EqualTo(plaintext));
        });
    }

    [Test]
    public async Task Import_Sends_The_Expiry_In_Whole_Seconds_And_Reports_It(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        context.Time.Advance(TimeSpan.FromMilliseconds(700));
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
        context.SetupImport(keyId);

        KeyImportResult result = await context.Client.ImportKeyMaterialAsync(
            keyId, material, new ImportKeyMaterialOptions { Expiry = MaterialExpiry.After(TimeSpan.FromDays(30)) }, cancellationToken);

        DateTimeOffset expected = Start.AddDays(30);
        Assert.Multiple(() =>
        {
            Assert.That(context.ImportRequests.Single().MaterialExpiresOn, Is.EqualTo(expected));
            Assert.That(result.MaterialExpiresOn, Is.EqualTo(expected));
        });
    }

    [Test]
    public async Task Import_Of_A_Private_Key_Sends_The_Wrapped_Private_Key(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using KeyMaterial material = KeyMaterial.FromECDsa(ec);
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport, KeySpec.EcP256));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
        context.SetupImport(keyId);
        context.SetupPublicKey(keyId, ec.ExportSubjectPublicKeyInfoPem());

        KeyImportResult result = await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);

        // The service's two steps: RSA-OAEP gives the temporary key, RFC 5649 under it gives PKCS#8.
        ImportKeyMaterialRequest request = context.ImportRequests.Single();
        byte[] temporaryKey = UnwrapSymmetric(request, WrappingKeyA);
        byte[] pkcs8 = AesKeyWrapPad.Unwrap(temporaryKey, Convert.FromBase64String(request.EncryptedPrivateKey!));
        Assert.Multiple(() =>
        {
            Assert.That(temporaryKey, Has.Length.EqualTo(32));
            Assert.That(pkcs8, Is.EqualTo(ec.ExportPkcs8PrivateKey()));
            Assert.That(result.MaterialFingerprint, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(pkcs8))));
            Assert.That(result.Confirmation.Kind, Is.EqualTo(ImportConfirmationKind.PublicKeyMatches));
        });
    }

    [Test]
    public async Task Parameters_Are_Cached_Per_Key_And_Reused_While_Valid_Beyond_The_Margin(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext(new KeyImportClientOptions { ImportParametersSafetyMargin = TimeSpan.FromMinutes(5) });
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        context.SetupParameters(
            keyId,
            Parameters(keyId, WrappingKeyA, Token("first"), Start.AddMinutes(10)),
            Parameters(keyId, WrappingKeyB, Token("second"), Start.AddHours(24)));

        // A definite refusal that says nothing against the token keeps the parameters cached.
        context.SetupImport(keyId, Error(400, KmsErrorCodes.MaterialLengthInvalid), Error(400, KmsErrorCodes.MaterialLengthInvalid));

        Assert.ThrowsAsync<KmsRequestFailedException>(() => context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken));
        context.Time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.ThrowsAsync<KmsRequestFailedException>(() => context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken));
        context.VerifyParametersCount(keyId, 1);

        // Now the first parameters expire within the 5-minute margin: fetched again.
        context.Time.Advance(TimeSpan.FromSeconds(1));
        await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);

        context.VerifyParametersCount(keyId, 2);
        Assert.That(context.ImportRequests.Select(r => r.ImportToken), Is.EqualTo(new[] { Token("first"), Token("first"), Token("second") }));
    }

    [Test]
    public async Task Parameters_Are_Cached_Per_Wrapping_Algorithm(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext(new KeyImportClientOptions { AllowLegacyWrappingAlgorithms = true });
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        context.Transport
            .Setup(t => t.GetParametersForImportAsync(It.IsAny<GetParametersForImportRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((GetParametersForImportRequest r, CancellationToken _) => Parameters(keyId, WrappingKeyA, Token(r.WrappingAlgorithm.ToString()), Start.AddHours(24), r.WrappingAlgorithm));
        context.SetupImport(keyId, Error(400, KmsErrorCodes.MaterialLengthInvalid), Error(400, KmsErrorCodes.MaterialLengthInvalid));

        var sha1 = new ImportKeyMaterialOptions { WrappingAlgorithm = WrappingAlgorithm.RsaesOaepSha1 };
        Assert.ThrowsAsync<KmsRequestFailedException>(() => context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken));
        Assert.ThrowsAsync<KmsRequestFailedException>(() => context.Client.ImportKeyMaterialAsync(keyId, material, sha1, cancellationToken));
        await context.Client.ImportKeyMaterialAsync(keyId, material, sha1, cancellationToken);

        context.Transport.Verify(t => t.GetParametersForImportAsync(It.Is<GetParametersForImportRequest>(r => r.WrappingAlgorithm == WrappingAlgorithm.RsaesOaepSha1), It.IsAny<CancellationToken>()), Times.Once);
        context.Transport.Verify(t => t.GetParametersForImportAsync(It.Is<GetParametersForImportRequest>(r => r.WrappingAlgorithm == WrappingAlgorithm.RsaesOaepSha256), It.IsAny<CancellationToken>()), Times.Once);
        byte[] unwrapped = WrappingKeyA.Decrypt(Convert.FromBase64String(context.ImportRequests[2].EncryptedKeyMaterial), RSAEncryptionPadding.OaepSHA1);
        Assert.That(unwrapped, Has.Length.EqualTo(32));
    }

    [Test]
    public async Task A_Used_Token_Is_Evicted_After_A_Successful_Import(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();

        // Imported, material deleted (back to pending import), imported again.
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        context.SetupParameters(
            keyId,
            Parameters(keyId, WrappingKeyA, Token("first"), Start.AddHours(24)),
            Parameters(keyId, WrappingKeyB, Token("second"), Start.AddHours(24)));
        context.SetupImport(keyId);

        await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);
        await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);

        context.VerifyParametersCount(keyId, 2);
        Assert.That(context.ImportRequests.Select(r => r.ImportToken), Is.EqualTo(new[] { Token("first"), Token("second") }));
    }

    [TestCase(KmsErrorCodes.ImportTokenExpired)]
    [TestCase(KmsErrorCodes.ImportTokenInvalid)]
    public async Task A_Refused_Token_Is_Replaced_And_The_Import_Retried_Once(string errorCode, CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        byte[] plaintext = RandomNumberGenerator.GetBytes(32);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(plaintext, KeySpec.Aes256);
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        context.SetupParameters(
            keyId,
            Parameters(keyId, WrappingKeyA, Token("old"), Start.AddHours(24)),
            Parameters(keyId, WrappingKeyB, Token("new"), Start.AddHours(24)));
        context.SetupImport(keyId, Error(400, errorCode));

        KeyImportResult result = await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(context.ImportRequests.Select(r => r.ImportToken), Is.EqualTo(new[] { Token("old"), Token("new") }));

            // Wrapped again, under the new wrapping key.
            Assert.That(UnwrapSymmetric(context.ImportRequests[1], WrappingKeyB), Is.EqualTo(plaintext));
        });
        context.VerifyParametersCount(keyId, 2);
    }

    [TestCase(KmsErrorCodes.ImportTokenExpired, KmsErrorCodes.ImportTokenExpired)]
    [TestCase(KmsErrorCodes.ImportTokenInvalid, KmsErrorCodes.ImportTokenExpired)]
    public void The_Token_Is_Refreshed_Only_Once(string first, string second, CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        context.SetupParameters(
            keyId,
            Parameters(keyId, WrappingKeyA, Token("old"), Start.AddHours(24)),
            Parameters(keyId, WrappingKeyB, Token("new"), Start.AddHours(24)),
            Parameters(keyId, WrappingKeyA, Token("newer"), Start.AddHours(24)));
        context.SetupImport(keyId, Error(400, first), Error(400, second));

        KmsRequestFailedException? ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken));

        Assert.That(ex!.ErrorCode, Is.EqualTo(second));
        context.VerifyImportCount(keyId, 2);
        context.VerifyParametersCount(keyId, 2);
    }

    [Test]
    public async Task A_Token_Refused_For_Good_Is_Not_Reused(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        context.SetupParameters(
            keyId,
            Parameters(keyId, WrappingKeyA, Token("one"), Start.AddHours(24)),
            Parameters(keyId, WrappingKeyB, Token("two"), Start.AddHours(24)));
        context.SetupImport(keyId, Error(400, KmsErrorCodes.DecryptionFailed));

        Assert.ThrowsAsync<KmsRequestFailedException>(() => context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken));
        await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);

        Assert.That(context.ImportRequests.Select(r => r.ImportToken), Is.EqualTo(new[] { Token("one"), Token("two") }));
    }

    [TestCase(0)]
    [TestCase(408)]
    [TestCase(500)]
    [TestCase(503)]
    public async Task An_Unknown_Outcome_That_Happened_Is_A_Success_Without_A_Second_Import(int status, CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        DateTimeOffset expiresOn = Start.AddDays(1);
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport), Details(keyId, KeyState.Enabled, materialExpiresOn: expiresOn));
        context.SetupParameters(
            keyId,
            Parameters(keyId, WrappingKeyA, Token("one"), Start.AddHours(24)),
            Parameters(keyId, WrappingKeyB, Token("two"), Start.AddHours(24)));
        context.SetupImport(keyId, Error(status));

        KeyImportResult result = await context.Client.ImportKeyMaterialAsync(
            keyId, material, new ImportKeyMaterialOptions { Expiry = MaterialExpiry.At(expiresOn) }, cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(result.MaterialExpiresOn, Is.EqualTo(expiresOn));
            Assert.That(result.MaterialFingerprint, Is.EqualTo(material.ComputeFingerprint()));
        });
        context.VerifyImportCount(keyId, 1);
        context.VerifyDescribeCount(keyId, 2);

        // The token was spent by the import that happened: a later import fetches new parameters.
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);
        Assert.That(context.ImportRequests.Last().ImportToken, Is.EqualTo(Token("two")));
    }

    [Test]
    public async Task An_Unknown_Outcome_That_Did_Not_Happen_Is_Retried_With_The_Same_Token_After_A_Back_Off(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        byte[] plaintext = RandomNumberGenerator.GetBytes(32);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(plaintext, KeySpec.Aes256);
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("one"), Start.AddHours(24)));
        context.SetupImport(keyId, Error(0), Error(502));

        Task<KeyImportResult> workflow = context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);

        // The mocks answer synchronously, so the workflow is now waiting on the fake clock's back-off.
        Assert.That(workflow.IsCompleted, Is.False, "the retry waits for the back-off on the injected clock");
        KeyImportResult result = await context.CompleteWithClockAsync(workflow, cancellationToken);

        Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
        context.VerifyImportCount(keyId, 3);
        context.VerifyParametersCount(keyId, 1);
        Assert.Multiple(() =>
        {
            Assert.That(context.ImportRequests.Select(r => r.ImportToken), Is.All.EqualTo(Token("one")));
            Assert.That(context.ImportRequests.Select(r => UnwrapSymmetric(r, WrappingKeyA)), Is.All.EqualTo(plaintext));
            Assert.That(context.Time.GetUtcNow() - Start, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(3)), "back-off of 1 s then 2 s on the injected clock");
        });
    }

    [Test]
    public void Unknown_Outcomes_Are_Retried_A_Bounded_Number_Of_Times(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("one"), Start.AddHours(24)));
        KmsRequestFailedException last = Error(504);
        context.SetupImport(keyId, Error(0), Error(500), last, Error(500));

        KmsRequestFailedException? ex = Assert.ThrowsAsync<KmsRequestFailedException>(
            () => context.CompleteWithClockAsync(context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken), cancellationToken));

        Assert.That(ex, Is.SameAs(last));
        context.VerifyImportCount(keyId, KeyImportClient.MaxImportAttempts);
        context.VerifyDescribeCount(keyId, 1 + KeyImportClient.MaxImportAttempts);
    }

    private static IEnumerable<TestCaseData> RefusalsAfterAnUnknownOutcome()
    {
        // Pre-flight: pending. After the lost response: still pending (not visible yet). Retry: KMS.0310. Then: Enabled.
        yield return new TestCaseData(Error(0), KmsErrorCodes.KeyNotPendingImport).SetArgDisplayNames("not pending import");

        // The first attempt is processed late, after describe said pending: the retry finds its token spent.
        yield return new TestCaseData(Error(504), KmsErrorCodes.ImportTokenInvalid).SetArgDisplayNames("token spent");
    }

    [TestCaseSource(nameof(RefusalsAfterAnUnknownOutcome))]
    public async Task A_Refusal_After_An_Unknown_Outcome_Is_Resolved_By_Describe_Not_Refreshed(KmsRequestFailedException unknown, string refusalCode, CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(
            keyId,
            Details(keyId, KeyState.PendingImport),
            Details(keyId, KeyState.PendingImport),
            Details(keyId, KeyState.Enabled));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("one"), Start.AddHours(24)));
        context.SetupImport(keyId, unknown, Error(400, refusalCode));

        KeyImportResult result = await context.CompleteWithClockAsync(
            context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken), cancellationToken);

        Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
        context.VerifyImportCount(keyId, 2);
        context.VerifyDescribeCount(keyId, 3);
        context.VerifyParametersCount(keyId, 1);
    }

    [Test]
    public async Task A_Refused_Token_After_An_Unknown_Outcome_Is_Still_Refreshed_When_The_Key_Is_Pending(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        context.SetupParameters(
            keyId,
            Parameters(keyId, WrappingKeyA, Token("one"), Start.AddHours(24)),
            Parameters(keyId, WrappingKeyB, Token("two"), Start.AddHours(24)));
        context.SetupImport(keyId, Error(0), Error(400, KmsErrorCodes.ImportTokenExpired));

        KeyImportResult result = await context.CompleteWithClockAsync(
            context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken), cancellationToken);

        Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
        Assert.That(context.ImportRequests.Select(r => r.ImportToken), Is.EqualTo(new[] { Token("one"), Token("one"), Token("two") }));
    }

    [Test]
    public async Task A_Parameters_Refusal_After_An_Unknown_Outcome_Is_Resolved_By_Describe(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();

        // Lost response, still pending; the retry's token was spent late (KMS.2605), and new
        // parameters are refused because the key is now Enabled (KMS.0310): describe settles it.
        context.SetupDescribe(
            keyId,
            Details(keyId, KeyState.PendingImport),
            Details(keyId, KeyState.PendingImport),
            Details(keyId, KeyState.PendingImport),
            Details(keyId, KeyState.Enabled));
        int parameterCalls = 0;
        context.Transport
            .Setup(t => t.GetParametersForImportAsync(It.IsAny<GetParametersForImportRequest>(), It.IsAny<CancellationToken>()))
            .Returns(() => parameterCalls++ == 0
                ? Task.FromResult(Parameters(keyId, WrappingKeyA, Token("one"), Start.AddHours(24)))
                : Task.FromException<ImportParameters>(Error(400, KmsErrorCodes.KeyNotPendingImport)));
        context.SetupImport(keyId, Error(0), Error(400, KmsErrorCodes.ImportTokenInvalid));

        KeyImportResult result = await context.CompleteWithClockAsync(
            context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken), cancellationToken);

        Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
        context.VerifyImportCount(keyId, 2);
        context.VerifyDescribeCount(keyId, 4);
    }

    [Test]
    public void When_Describe_Fails_While_Resolving_The_Import_Error_Is_Reported(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        int describeCalls = 0;
        context.Transport
            .Setup(t => t.DescribeKeyAsync(It.IsAny<DescribeKeyRequest>(), It.IsAny<CancellationToken>()))
            .Returns(() => describeCalls++ == 0
                ? Task.FromResult(Details(keyId, KeyState.PendingImport))
                : Task.FromException<KeyDetails>(Error(503)));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("one"), Start.AddHours(24)));
        KmsRequestFailedException original = Error(0);
        context.SetupImport(keyId, original);

        KmsRequestFailedException? ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken));

        Assert.That(ex, Is.SameAs(original));
        context.VerifyImportCount(keyId, 1);
    }

    [Test]
    public void A_Refusal_After_An_Unsettled_Unknown_Outcome_Is_Reported_As_Unknown(CancellationToken cancellationToken)
    {
        // Lost response, describe says pending (not visible yet), the retry is refused (KMS.0310:
        // the first attempt landed late), and describe now fails: the import may well have happened.
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        int describeCalls = 0;
        context.Transport
            .Setup(t => t.DescribeKeyAsync(It.IsAny<DescribeKeyRequest>(), It.IsAny<CancellationToken>()))
            .Returns(() => describeCalls++ < 2
                ? Task.FromResult(Details(keyId, KeyState.PendingImport))
                : Task.FromException<KeyDetails>(Error(503)));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("one"), Start.AddHours(24)));
        KmsRequestFailedException refusal = Error(400, KmsErrorCodes.KeyNotPendingImport);
        context.SetupImport(keyId, Error(0), refusal);

        KmsRequestFailedException? ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => context.CompleteWithClockAsync(
            context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken), cancellationToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.IsOutcomeUnknown, Is.True);
            Assert.That(ex.InnerException, Is.SameAs(refusal));
            Assert.That(ex.Message, Does.Contain("describe key " + keyId));
        });
        context.VerifyImportCount(keyId, 2);
    }

    private static IEnumerable<TestCaseData> DefiniteRefusals()
    {
        yield return new TestCaseData(KmsErrorCodes.MaterialMismatch, new[] { KeyState.PendingImport }).SetArgDisplayNames("material mismatch");

        // The key is Enabled by someone else's import: that is not reported as ours.
        yield return new TestCaseData(KmsErrorCodes.KeyNotPendingImport, new[] { KeyState.PendingImport, KeyState.Enabled }).SetArgDisplayNames("not pending import without an earlier unknown outcome");
    }

    [TestCaseSource(nameof(DefiniteRefusals))]
    public void A_Definite_Refusal_Is_Reported_Without_Retry(string errorCode, KeyState[] describedStates, CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(keyId, [.. describedStates.Select(state => Details(keyId, state))]);
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("one"), Start.AddHours(24)));
        context.SetupImport(keyId, Error(400, errorCode));

        KmsRequestFailedException? ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken));

        Assert.That(ex!.ErrorCode, Is.EqualTo(errorCode));
        context.VerifyImportCount(keyId, 1);
        context.VerifyDescribeCount(keyId, 1);
    }

    private static IEnumerable<TestCaseData> PreflightRefusals()
    {
        yield return Refusal("origin not external", Details("K", KeyState.PendingImport, origin: KeyOrigin.Kms), "origin 'kms'");
        yield return Refusal("Enabled key", Details("K", KeyState.Enabled), "already has key material");
        yield return Refusal("Disabled key", Details("K", KeyState.Disabled), "Disabled");
        yield return Refusal("key pending deletion", Details("K", KeyState.PendingDeletion), "PendingDeletion");
        yield return Refusal("unknown state by its value", Details("K", new KeyState("9")), "key_state 9");
        yield return Refusal("material of another spec", Details("K", KeyState.PendingImport, KeySpec.Hmac256), "HMAC_256");
        yield return Refusal("Frozen key with what to do", Details("K", KeyState.Frozen), "Frozen", "Renew the service");
        yield return Refusal("key in a custom keystore with what to do", Details("K", KeyState.PendingImport) with { KeystoreId = "ks-42" }, "custom keystore 'ks-42'", "default keystore");

        static TestCaseData Refusal(string name, KeyDetails template, params string[] expectedInMessage) =>
            new TestCaseData(template, expectedInMessage).SetArgDisplayNames(name);
    }

    [TestCaseSource(nameof(PreflightRefusals))]
    public void Pre_Flight_Failures_After_Describe_Send_No_Import(KeyDetails template, string[] expectedInMessage)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(keyId, template with { KeyId = keyId });

        KeyImportValidationException? ex = Assert.ThrowsAsync<KeyImportValidationException>(() => context.Client.ImportKeyMaterialAsync(keyId, material));

        Assert.Multiple(() =>
        {
            foreach (string expected in expectedInMessage)
            {
                Assert.That(ex!.Message, Does.Contain(expected));
            }

            Assert.That(ex!.Message, Does.Contain(keyId));
        });
        context.Transport.Verify(t => t.ImportKeyMaterialAsync(It.IsAny<ImportKeyMaterialRequest>(), It.IsAny<CancellationToken>()), Times.Never);
        context.Transport.Verify(t => t.GetParametersForImportAsync(It.IsAny<GetParametersForImportRequest>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    private static KeyMaterial NewRsa2048()
    {
        using var rsa = RSA.Create(2048);
        return KeyMaterial.FromRsa(rsa);
    }

    private static IEnumerable<TestCaseData> LocalRefusals()
    {
        yield return new TestCaseData(
            (Func<KeyMaterial>)NewRsa2048,
            new ImportKeyMaterialOptions { Expiry = MaterialExpiry.After(TimeSpan.FromDays(1)) },
            "cannot expire").SetArgDisplayNames("expiry for a private key");
        yield return new TestCaseData(
            (Func<KeyMaterial>)NewAes256,
            new ImportKeyMaterialOptions { Expiry = MaterialExpiry.At(Start.AddSeconds(-1)) },
            "not in the future").SetArgDisplayNames("expiry in the past");
        yield return new TestCaseData(
            (Func<KeyMaterial>)NewAes256,
            new ImportKeyMaterialOptions { Expiry = MaterialExpiry.At(Start.AddMilliseconds(500)) },
            "not in the future").SetArgDisplayNames("expiry past once truncated to whole seconds");
        yield return new TestCaseData(
            (Func<KeyMaterial>)NewAes256,
            new ImportKeyMaterialOptions { WrappingAlgorithm = WrappingAlgorithm.RsaesPkcs1V15 },
            "RSAES_PKCS1_V1_5").SetArgDisplayNames("PKCS#1 v1.5 wrapping");
        yield return new TestCaseData(
            (Func<KeyMaterial>)NewAes256,
            new ImportKeyMaterialOptions { WrappingAlgorithm = new WrappingAlgorithm("RSA_AES_KEY_WRAP") },
            "RSA_AES_KEY_WRAP").SetArgDisplayNames("unknown wrapping algorithm");
        yield return new TestCaseData(
            (Func<KeyMaterial>)NewAes256,
            new ImportKeyMaterialOptions { WrappingAlgorithm = default },
            "not set").SetArgDisplayNames("unset wrapping algorithm");
    }

    [TestCaseSource(nameof(LocalRefusals))]
    public void Local_Pre_Flight_Failures_Send_Nothing(Func<KeyMaterial> createMaterial, ImportKeyMaterialOptions options, string expectedInMessage)
    {
        var context = new ClientTestContext();
        using KeyMaterial material = createMaterial();

        KeyImportValidationException? ex = Assert.ThrowsAsync<KeyImportValidationException>(() => context.Client.ImportKeyMaterialAsync(NewKeyId(), material, options));

        Assert.That(ex!.Message, Does.Contain(expectedInMessage));
        context.Transport.VerifyNoOtherCalls();
    }

    [Test]
    public void Cancellation_While_Backing_Off_Stops_The_Workflow(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("one"), Start.AddHours(24)));
        context.SetupImport(keyId, Error(0));
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        Task<KeyImportResult> workflow = context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cts.Token);
        cts.Cancel();

        Assert.That(async () => await workflow, Throws.InstanceOf<OperationCanceledException>());
        context.VerifyImportCount(keyId, 1);
    }

    [Test]
    public async Task Concurrent_Imports_Into_Different_Keys_Do_Not_Share_Parameters(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string[] keyIds = [.. Enumerable.Range(0, 8).Select(_ => NewKeyId())];
        context.Transport
            .Setup(t => t.DescribeKeyAsync(It.IsAny<DescribeKeyRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((DescribeKeyRequest r, CancellationToken _) => Details(r.KeyId, KeyState.PendingImport));
        context.Transport
            .Setup(t => t.GetParametersForImportAsync(It.IsAny<GetParametersForImportRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((GetParametersForImportRequest r, CancellationToken _) => Parameters(r.KeyId, WrappingKeyA, Token(r.KeyId), Start.AddHours(24)));
        var sent = new System.Collections.Concurrent.ConcurrentBag<ImportKeyMaterialRequest>();
        context.Transport
            .Setup(t => t.ImportKeyMaterialAsync(It.IsAny<ImportKeyMaterialRequest>(), It.IsAny<CancellationToken>()))
            .Returns(async (ImportKeyMaterialRequest r, CancellationToken ct) =>
            {
                await Task.Yield();
                sent.Add(r);
            });

        KeyImportResult[] results = await Task.WhenAll(keyIds.Select(id => Task.Run(async () =>
        {
            using KeyMaterial material = NewAes256();
            return await context.Client.ImportKeyMaterialAsync(id, material, cancellationToken: cancellationToken);
        }, cancellationToken)));

        Assert.That(results.Select(r => r.KeyId), Is.EquivalentTo(keyIds));
        Assert.That(sent.Select(r => (r.KeyId, r.ImportToken)), Is.EquivalentTo(keyIds.Select(id => (id, Token(id)))));
    }

    [TestCase(true, 0, TestName = "Import_Offered_The_Key_A_Migration_Just_Described_Checks_That_Answer_Without_Asking_Again")]
    [TestCase(false, 1, TestName = "Import_Offered_Another_Key_Asks_Describe_Key_For_Its_Own")]
    public async Task Import_Offered_A_Described_Key_Asks_Describe_Key_Only_When_The_Answer_Is_Not_Its_Own(bool sameKey, int describes, CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
        context.SetupImport(keyId);
        using (DescribedKeyHint.Offer(Details(sameKey ? keyId : NewKeyId(), KeyState.PendingImport)))
        {
            await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);
        }

        context.VerifyDescribeCount(keyId, describes);
        context.VerifyImportCount(keyId, 1);
    }

    [Test]
    public void Import_Offered_A_Described_Key_Still_Applies_The_Preflight_To_That_Answer()
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        using DescribedKeyHint.Scope hint = DescribedKeyHint.Offer(Details(keyId, KeyState.Enabled));

        Assert.That(() => context.Client.ImportKeyMaterialAsync(keyId, material), Throws.InstanceOf<KeyImportValidationException>());
        context.VerifyDescribeCount(keyId, 0);
        context.VerifyImportCount(keyId, 0);
    }

    [Test]
    public async Task Import_Offered_A_Key_But_Waiting_For_Another_Import_Of_It_Describes_It_Afresh_And_Finds_It_Imported(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport), Details(keyId, KeyState.Enabled));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Transport
            .Setup(t => t.ImportKeyMaterialAsync(It.Is<ImportKeyMaterialRequest>(r => r.KeyId == keyId), It.IsAny<CancellationToken>()))
            .Returns(() => release.Task);
        Task<KeyImportResult> first = context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);
        while (context.Transport.Invocations.All(i => i.Method.Name != nameof(IKmsTransport.ImportKeyMaterialAsync)))
        {
            await Task.Delay(10, cancellationToken);
        }

        Task<KeyImportResult> second;
        using (DescribedKeyHint.Offer(Details(keyId, KeyState.PendingImport)))
        {
            second = context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);
        }

        release.SetResult();
        await first;

        // The answer given was from before the first import: the second import asks again and is refused up front.
        Assert.That(async () => await second, Throws.InstanceOf<KeyImportValidationException>());
        context.VerifyDescribeCount(keyId, 2);
        context.VerifyImportCount(keyId, 1);
    }

    [Test]
    public void An_Offered_Answer_Is_Taken_Once_For_Its_Key_Within_Its_Scope()
    {
        string keyId = NewKeyId();
        KeyDetails described = Details(keyId, KeyState.PendingImport);

        using (DescribedKeyHint.Offer(described))
        {
            Assert.That(DescribedKeyHint.Take(NewKeyId()), Is.Null, "offered for one key only");
            Assert.That(DescribedKeyHint.Take(keyId), Is.SameAs(described));
            Assert.That(DescribedKeyHint.Take(keyId), Is.Null, "taken once");
        }

        using (DescribedKeyHint.Offer(described))
        {
            // Nothing taken inside the scope: it ends with the scope.
        }

        Assert.That(DescribedKeyHint.Take(keyId), Is.Null, "gone with its scope");
    }
}
