using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Tests.TestSupport;
using Moq;
using static KmsImport.Sdk.Tests.TestSupport.ClientTestContext;

namespace KmsImport.Sdk.Tests.Client;

// How an import is confirmed, the default keystore, and one import per key at a time.
[CancelAfter(20_000)]
public class KeyImportClientConfirmationTests
{
    [Test]
    public async Task A_Symmetric_Import_The_Service_Answered_Is_Confirmed_By_The_Service(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        ScriptPendingImport(context, keyId);

        KeyImportResult result = await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Confirmation.Kind, Is.EqualTo(ImportConfirmationKind.ServiceAccepted));
            Assert.That(result.Confirmation.MaterialFingerprint, Is.EqualTo(material.ComputeFingerprint()));
            Assert.That(result.Confirmation.PublicKeyFingerprint, Is.Null);
        });
    }

    [Test]
    public async Task After_An_Unknown_Outcome_A_Symmetric_Key_Found_Enabled_Is_Confirmed_By_Its_State_Only(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport), Details(keyId, KeyState.Enabled));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
        context.SetupImport(keyId, Error(0));

        KeyImportResult result = await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);

        Assert.That(result.Confirmation.Kind, Is.EqualTo(ImportConfirmationKind.KeyStateOnly));
        Assert.That(result.Confirmation.Description, Is.EqualTo("Enabled, material not proven to be ours"));
    }

    [Test]
    public async Task After_An_Unknown_Outcome_A_Private_Key_Is_Proven_By_Its_Public_Key(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using var rsa = RSA.Create(2048);
        using KeyMaterial material = KeyMaterial.FromRsa(rsa);
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport, KeySpec.Rsa2048), Details(keyId, KeyState.Enabled, KeySpec.Rsa2048));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
        context.SetupImport(keyId, Error(502));

        // PKCS#1 under a PUBLIC KEY label with CRLF, as the published example.
        context.SetupPublicKey(keyId, PemEncoding.WriteString("PUBLIC KEY", rsa.ExportRSAPublicKey()).ReplaceLineEndings("\r\n"));

        KeyImportResult result = await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);

        Assert.Multiple(() =>
        {
            Assert.That(result.Confirmation.Kind, Is.EqualTo(ImportConfirmationKind.PublicKeyMatches));
            Assert.That(result.Confirmation.Description, Is.EqualTo("public key matches"));
            Assert.That(result.Confirmation.PublicKeyFingerprint, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(rsa.ExportSubjectPublicKeyInfo()))));
        });
    }

    [Test]
    public void A_Key_Whose_Public_Key_Is_Not_Ours_Holds_Other_Material_And_The_Import_Is_An_Error()
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using var ours = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var theirs = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using KeyMaterial material = KeyMaterial.FromECDsa(ours);
        ScriptPendingImport(context, keyId, KeySpec.EcP256);
        context.SetupPublicKey(keyId, theirs.ExportSubjectPublicKeyInfoPem());

        var ex = Assert.ThrowsAsync<ImportedMaterialMismatchException>(() => context.Client.ImportKeyMaterialAsync(keyId, material));

        Assert.That(ex!.Message, Does.Contain($"Key {keyId} holds other material"));
        Assert.That(ex.ActualPublicKeyFingerprint, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(theirs.ExportSubjectPublicKeyInfo()))));
    }

    private static IEnumerable<TestCaseData> PublicKeyFailures()
    {
        yield return new TestCaseData(Error(500, "KMS.0101")).SetArgDisplayNames("get-publickey fails");
        yield return new TestCaseData(new FormatException("not a public key")).SetArgDisplayNames("public key cannot be read");
    }

    [TestCaseSource(nameof(PublicKeyFailures))]
    public async Task Without_The_Public_Key_The_Service_S_Answer_Confirms_The_Import_With_A_Warning(Exception publicKeyFailure, CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using KeyMaterial material = KeyMaterial.FromECDsa(ec);
        ScriptPendingImport(context, keyId, KeySpec.EcP256);
        context.Transport
            .Setup(t => t.GetPublicKeyAsync(It.IsAny<GetPublicKeyRequest>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(publicKeyFailure);

        KeyImportResult result = await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);

        Assert.That(result.Confirmation.Kind, Is.EqualTo(ImportConfirmationKind.ServiceAccepted));
        Assert.That(context.Logger.Collector.GetSnapshot().Select(r => r.Id.Id), Does.Contain(1022));
    }

    [Test]
    public async Task Material_Disposed_Right_After_The_Import_Was_Sent_Still_Gives_A_Confirmed_Success(CancellationToken cancellationToken)
    {
        // The caller (or a racing thread) disposes the material while the import request is under way:
        // the service accepted it, so the result must be a success, proven by the public key computed before.
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        KeyMaterial material = KeyMaterial.FromECDsa(ec);
        ScriptPendingImport(context, keyId, KeySpec.EcP256);
        context.Transport
            .Setup(t => t.ImportKeyMaterialAsync(It.Is<ImportKeyMaterialRequest>(r => r.KeyId == keyId), It.IsAny<CancellationToken>()))
            .Returns(() =>
            {
                material.Dispose();
                return Task.CompletedTask;
            });
        context.SetupPublicKey(keyId, ec.ExportSubjectPublicKeyInfoPem());

        KeyImportResult result = await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);

        Assert.That(result.Confirmation.Kind, Is.EqualTo(ImportConfirmationKind.PublicKeyMatches));
        Assert.That(result.Confirmation.PublicKeyFingerprint, Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(ec.ExportSubjectPublicKeyInfo()))));
    }

    [TestCase(null)]
    [TestCase("")]
    [TestCase("0")]
    public async Task The_Default_Keystore_Is_Accepted(string? keystore)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial material = NewAes256();
        ScriptPendingImport(context, keyId, keystore: keystore);

        KeyImportResult result = await context.Client.ImportKeyMaterialAsync(keyId, material);

        Assert.That(result.KeyState, Is.EqualTo(KeyState.Enabled));
    }

    [Test]
    public async Task Two_Imports_Of_One_Key_Never_Race_The_Second_Waits_And_Then_Finds_The_Key_Enabled(CancellationToken cancellationToken)
    {
        var context = new ClientTestContext();
        string keyId = NewKeyId();
        using KeyMaterial first = NewAes256(), second = NewAes256();
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport), Details(keyId, KeyState.Enabled));
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
        var importing = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        context.Transport
            .Setup(t => t.ImportKeyMaterialAsync(It.Is<ImportKeyMaterialRequest>(r => r.KeyId == keyId), It.IsAny<CancellationToken>()))
            .Returns(async () =>
            {
                importing.TrySetResult();
                await release.Task;
            });

        Task<KeyImportResult> one = context.Client.ImportKeyMaterialAsync(keyId, first, cancellationToken: cancellationToken);
        await importing.Task.WaitAsync(cancellationToken);
        Task<KeyImportResult> two = context.Client.ImportKeyMaterialAsync(keyId, second, cancellationToken: cancellationToken);
        await Task.Delay(50, cancellationToken);

        // While the first import is under way, the second has not even described the key.
        context.VerifyDescribeCount(keyId, 1);
        Assert.That(two.IsCompleted, Is.False);

        release.SetResult();
        KeyImportResult result = await one;
        Assert.That(result.MaterialFingerprint, Is.EqualTo(first.ComputeFingerprint()));
        Assert.That(async () => await two, Throws.InstanceOf<KeyImportValidationException>().With.Message.Contains("Enabled"));
        context.VerifyImportCount(keyId, 1);
    }

    private static void ScriptPendingImport(ClientTestContext context, string keyId, KeySpec? spec = null, string? keystore = null)
    {
        context.SetupDescribe(keyId, Details(keyId, KeyState.PendingImport, spec) with { KeystoreId = keystore });
        context.SetupParameters(keyId, Parameters(keyId, WrappingKeyA, Token("a"), Start.AddHours(24)));
        context.SetupImport(keyId);
    }
}
