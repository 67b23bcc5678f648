using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>The default <see cref="IKeyMaterialWrapper"/>. Stateless and thread-safe.</summary>
/// <remarks>PLACEHOLDER: minimal implementation; replaced by the full one.</remarks>
public sealed class KeyMaterialWrapper : IKeyMaterialWrapper
{
    /// <summary>A shared instance.</summary>
    public static KeyMaterialWrapper Shared { get; } = new();

    /// <inheritdoc/>
    public WrappedKeyMaterial Wrap(KeyMaterial material, WrappingPublicKey wrappingKey, WrappingAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(wrappingKey);
        if (!material.IsPrivateKey)
        {
            return new WrappedKeyMaterial(wrappingKey.Rsa.Encrypt(material.Span, algorithm.Padding), null);
        }

        Span<byte> temporaryKey = stackalloc byte[32];
        try
        {
            RandomNumberGenerator.Fill(temporaryKey);
            byte[] encryptedTemporaryKey = wrappingKey.Rsa.Encrypt(temporaryKey, algorithm.Padding);
            return new WrappedKeyMaterial(encryptedTemporaryKey, AesKeyWrapPad.Wrap(temporaryKey, material.Span));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(temporaryKey);
        }
    }
}
