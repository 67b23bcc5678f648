using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;
using Moq;

namespace KmsImport.Sdk.Tests.TestSupport;

/// <summary>
/// A <see cref="KeyImportClient"/> over a strict Moq <see cref="IKmsTransport"/>, the real
/// <see cref="KeyMaterialWrapper"/> and a <see cref="FakeTimeProvider"/>, with helpers to script the
/// service's answers and to check what the client sent.
/// </summary>
internal sealed class ClientTestContext
{
    public static readonly DateTimeOffset Start = new(2026, 11, 29, 8, 0, 0, TimeSpan.Zero);

    // Two service wrapping keys, so a test can tell which parameters a request was wrapped under.
    private static readonly Lazy<RSA> s_wrappingKeyA = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> s_wrappingKeyB = new(() => RSA.Create(2048));

    public ClientTestContext(KeyImportClientOptions? options = null)
    {
        Transport = new Mock<IKmsTransport>(MockBehavior.Strict);
        Time = new FakeTimeProvider(Start);
        Logger = new FakeLogger<KeyImportClient>();
        Client = new KeyImportClient(Transport.Object, options, KeyMaterialWrapper.Shared, Time, Logger);
    }

    public Mock<IKmsTransport> Transport { get; }

    public FakeTimeProvider Time { get; }

    public FakeLogger<KeyImportClient> Logger { get; }

    public KeyImportClient Client { get; }

    /// <summary>Every import-key-material request the client sent, in order.</summary>
    public List<ImportKeyMaterialRequest> ImportRequests { get; } = [];

    public static RSA WrappingKeyA => s_wrappingKeyA.Value;

    public static RSA WrappingKeyB => s_wrappingKeyB.Value;

    public static string NewKeyId() => Guid.NewGuid().ToString("D");

    public static KeyMaterial NewAes256() => KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);

    public static KeyDetails Details(string keyId, KeyState state, KeySpec? spec = null, KeyOrigin? origin = null, DateTimeOffset? materialExpiresOn = null) => new()
    {
        KeyId = keyId,
        KeyState = state,
        KeySpec = spec ?? KeySpec.Aes256,
        Origin = origin ?? KeyOrigin.External,
        MaterialExpiresOn = materialExpiresOn,
    };

    public static ImportParameters Parameters(string keyId, RSA wrappingKey, string token, DateTimeOffset expiresOn, WrappingAlgorithm? algorithm = null) =>
        new(keyId, algorithm ?? WrappingAlgorithm.RsaesOaepSha256, WrappingPublicKey.FromSubjectPublicKeyInfo(wrappingKey.ExportSubjectPublicKeyInfo()), token, expiresOn);

    /// <summary>A token in the service's format (Base64, at least 200 characters), distinct per label.</summary>
    public static string Token(string label) => Convert.ToBase64String(SHA512.HashData(System.Text.Encoding.UTF8.GetBytes(label))) + new string('A', 200);

    /// <summary>Decrypts what a request carries for symmetric material, as the service would.</summary>
    public static byte[] UnwrapSymmetric(ImportKeyMaterialRequest request, RSA wrappingKey) =>
        wrappingKey.Decrypt(Convert.FromBase64String(request.EncryptedKeyMaterial), RSAEncryptionPadding.OaepSHA256);

    public static KmsRequestFailedException Error(int status, string? code = null) =>
        new(status, code, code is null ? null : "scripted error", "req-" + Guid.NewGuid().ToString("N"), "import-key-material");

    /// <summary>describe-key answers these states, one per call, repeating the last.</summary>
    public void SetupDescribe(string keyId, params KeyDetails[] answers)
    {
        int calls = 0;
        Transport
            .Setup(t => t.DescribeKeyAsync(It.Is<DescribeKeyRequest>(r => r.KeyId == keyId), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => answers[Math.Min(calls++, answers.Length - 1)]);
    }

    /// <summary>get-parameters-for-import answers these, one per call, repeating the last.</summary>
    public void SetupParameters(string keyId, params ImportParameters[] answers)
    {
        int calls = 0;
        Transport
            .Setup(t => t.GetParametersForImportAsync(It.Is<GetParametersForImportRequest>(r => r.KeyId == keyId), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => answers[Math.Min(calls++, answers.Length - 1)]);
    }

    /// <summary>import-key-material fails with these exceptions in order (null: succeeds), then succeeds.</summary>
    public void SetupImport(string keyId, params Exception?[] outcomes)
    {
        int calls = 0;
        Transport
            .Setup(t => t.ImportKeyMaterialAsync(It.Is<ImportKeyMaterialRequest>(r => r.KeyId == keyId), It.IsAny<CancellationToken>()))
            .Returns((ImportKeyMaterialRequest request, CancellationToken _) =>
            {
                ImportRequests.Add(request);
                Exception? outcome = calls < outcomes.Length ? outcomes[calls] : null;
                calls++;
                return outcome is null ? Task.CompletedTask : Task.FromException(outcome);
            });
    }

    /// <summary>get-publickey answers this PEM for the key.</summary>
    public void SetupPublicKey(string keyId, string pem) =>
        Transport
            .Setup(t => t.GetPublicKeyAsync(It.Is<GetPublicKeyRequest>(r => r.KeyId == keyId), It.IsAny<CancellationToken>()))
            .ReturnsAsync(() => KmsPublicKey.FromPem(keyId, pem));

    /// <summary>create-key fails with these exceptions in order (null: succeeds with <paramref name="keyId"/>).</summary>
    public List<CreateKeyRequest> SetupCreate(string keyId, params Exception?[] outcomes)
    {
        int calls = 0;
        var requests = new List<CreateKeyRequest>();
        Transport
            .Setup(t => t.CreateKeyAsync(It.IsAny<CreateKeyRequest>(), It.IsAny<CancellationToken>()))
            .Returns((CreateKeyRequest request, CancellationToken _) =>
            {
                requests.Add(request);
                Exception? outcome = calls < outcomes.Length ? outcomes[calls] : null;
                calls++;
                return outcome is null ? Task.FromResult(KmsImportModelFactory.CreateKeyResult(keyId, "domain")) : Task.FromException<CreateKeyResult>(outcome);
            });
        return requests;
    }

    /// <summary>list-keys answers these keys on one page.</summary>
    public void SetupListKeys(params KeyDetails[] keys) =>
        Transport
            .Setup(t => t.ListKeysAsync(It.IsAny<ListKeysRequest>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync(KmsImportModelFactory.ListKeysPage(keys, null, false, keys.Length));

    public void VerifyImportCount(string keyId, int count) =>
        Transport.Verify(t => t.ImportKeyMaterialAsync(It.Is<ImportKeyMaterialRequest>(r => r.KeyId == keyId), It.IsAny<CancellationToken>()), Times.Exactly(count));

    public void VerifyParametersCount(string keyId, int count) =>
        Transport.Verify(t => t.GetParametersForImportAsync(It.Is<GetParametersForImportRequest>(r => r.KeyId == keyId), It.IsAny<CancellationToken>()), Times.Exactly(count));

    public void VerifyDescribeCount(string keyId, int count) =>
        Transport.Verify(t => t.DescribeKeyAsync(It.Is<DescribeKeyRequest>(r => r.KeyId == keyId), It.IsAny<CancellationToken>()), Times.Exactly(count));

    /// <summary>
    /// Awaits a workflow that waits on the fake clock (back-off), moving the clock a second at a time
    /// until it completes. Bounded by the test's own timeout.
    /// </summary>
    public async Task<T> CompleteWithClockAsync<T>(Task<T> workflow, CancellationToken cancellationToken)
    {
        while (!workflow.IsCompleted)
        {
            Time.Advance(TimeSpan.FromSeconds(1));
            await Task.WhenAny(workflow, Task.Delay(TimeSpan.FromMilliseconds(5), cancellationToken));
            cancellationToken.ThrowIfCancellationRequested();
        }

        return await workflow;
    }
}
