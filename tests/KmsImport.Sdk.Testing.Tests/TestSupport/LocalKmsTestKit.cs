using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk.Testing.Tests.TestSupport;

/// <summary>Shared steps of the emulator tests: create a key, fetch parameters, wrap, import.</summary>
internal static class LocalKmsTestKit
{
    /// <summary>Aliases are unique per emulator, as per account and region in the service: a fresh one when null.</summary>
    public static string UniqueAlias(string prefix = "test-key") => $"{prefix}-{Guid.NewGuid():N}";

    public static async Task<string> CreateExternalKeyAsync(IKmsTransport kms, KeySpec spec, string? alias = null)
    {
        CreateKeyResult created = await kms.CreateKeyAsync(new CreateKeyRequest(alias ?? UniqueAlias()) { KeySpec = spec, Origin = KeyOrigin.External });
        return created.KeyId;
    }

    private static readonly KeyMaterialWrapper s_wrapper = new(allowLegacyWrappingAlgorithms: true);

    public static ImportKeyMaterialRequest Wrap(ImportParameters parameters, KeyMaterial material, DateTimeOffset? expiresOn = null)
    {
        // Whatever algorithm the parameters name, legacy ones included: these tests exercise the emulator.
        WrappedKeyMaterial wrapped = s_wrapper.Wrap(material, parameters.WrappingKey, parameters.WrappingAlgorithm);
        return new ImportKeyMaterialRequest(parameters.KeyId, parameters.ImportToken, wrapped.EncryptedKeyMaterialBase64)
        {
            EncryptedPrivateKey = wrapped.EncryptedPrivateKeyBase64,
            MaterialExpiresOn = expiresOn,
        };
    }

    /// <summary>Wraps by hand: <paramref name="temporaryKey"/> under OAEP-SHA256 and <paramref name="privateKey"/> under RFC 5649 with <paramref name="kek"/>.</summary>
    public static ImportKeyMaterialRequest WrapManually(ImportParameters parameters, byte[] temporaryKey, byte[]? privateKey, byte[]? kek = null)
    {
        byte[] encryptedTemporaryKey = EncryptWithWrappingKey(parameters, temporaryKey);
        return new ImportKeyMaterialRequest(parameters.KeyId, parameters.ImportToken, Convert.ToBase64String(encryptedTemporaryKey))
        {
            EncryptedPrivateKey = privateKey is null ? null : Convert.ToBase64String(AesKeyWrapPad.Wrap(kek ?? temporaryKey, privateKey)),
        };
    }

    public static byte[] EncryptWithWrappingKey(ImportParameters parameters, byte[] plaintext)
    {
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(parameters.WrappingKey.SubjectPublicKeyInfo.Span, out _);
        return rsa.Encrypt(plaintext, parameters.WrappingAlgorithm.Padding);
    }

    public static KeyMaterial RandomSymmetric(KeySpec spec) =>
        KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(spec.SymmetricMaterialLength!.Value), spec);

    public static async Task<(string KeyId, KeyMaterial Material)> ImportNewAsync(IKmsTransport kms, KeySpec spec, DateTimeOffset? expiresOn = null)
    {
        string keyId = await CreateExternalKeyAsync(kms, spec);
        ImportParameters parameters = await kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        KeyMaterial material = RandomSymmetric(spec);
        await kms.ImportKeyMaterialAsync(Wrap(parameters, material, expiresOn));
        return (keyId, material);
    }

    /// <summary>
    /// Parameters for a key without generating a wrapping key (RSA generation dominates the CPU
    /// time of many-key tests): each issue gets its own RSA object loaded from one shared key.
    /// </summary>
    public static ImportParameters IssueWithSharedWrappingKey(LocalKms kms, string keyId)
    {
        var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(s_sharedWrappingKey.Value, out _);
        return kms.IssueImportParameters(keyId, rsa, WrappingAlgorithm.RsaesOaepSha256);
    }

    private static readonly Lazy<byte[]> s_sharedWrappingKey = new(() =>
    {
        using var rsa = RSA.Create(2048);
        return rsa.ExportPkcs8PrivateKey();
    });

    public static KmsRequestFailedException AssertFails(AsyncTestDelegate action, int status, string code)
    {
        KmsRequestFailedException? ex = Assert.ThrowsAsync<KmsRequestFailedException>(action);
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(status), ex.Message);
            Assert.That(ex.ErrorCode, Is.EqualTo(code), ex.Message);
            Assert.That(ex.RequestId, Is.Not.Null.And.Not.Empty);
        });
        return ex!;
    }
}
