using System.Collections.Concurrent;
using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>
/// An <see cref="IKeyMaterialWrapper"/> that does what the SDK's wrapper does but with a temporary
/// AES key the test knows (and registers as a secret), so the secret audit can search every text the
/// rest of the SDK and the emulator produce for it. The PKCS#8 plaintext is looked up by fingerprint
/// from keys the test registered, since <see cref="KeyMaterial"/> does not hand its bytes out.
/// </summary>
internal sealed class KnownTemporaryKeyWrapper : IKeyMaterialWrapper
{
    private readonly ConcurrentDictionary<string, byte[]> _privateKeys = new(StringComparer.Ordinal);
    private int _temporaryKeys;

    public int TemporaryKeysUsed => Volatile.Read(ref _temporaryKeys);

    public void AddPrivateKey(byte[] pkcs8) => _privateKeys[Convert.ToHexStringLower(SHA256.HashData(pkcs8))] = pkcs8;

    public WrappedKeyMaterial Wrap(KeyMaterial material, WrappingPublicKey wrappingKey, WrappingAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(wrappingKey);
        if (!material.IsPrivateKey || !_privateKeys.TryGetValue(material.ComputeFingerprint(), out byte[]? pkcs8))
        {
            return KeyMaterialWrapper.Shared.Wrap(material, wrappingKey, algorithm);
        }

        byte[] temporaryKey = TestKeys.NewSecretBytes(32);
        Interlocked.Increment(ref _temporaryKeys);
        using var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(wrappingKey.SubjectPublicKeyInfo.Span, out _);
        return new WrappedKeyMaterial(rsa.Encrypt(temporaryKey, algorithm.Padding), AesKeyWrapPad.Wrap(temporaryKey, pkcs8));
    }
}
