using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// The default <see cref="IKeyMaterialWrapper"/>: the console guide's <c>openssl</c> steps in code.
/// Stateless and thread-safe.
/// </summary>
/// <remarks>
/// <list type="bullet">
/// <item>Symmetric material: <c>EncryptedKeyMaterial = RSA-OAEP(wrapping key, material)</c>
/// (<c>openssl pkeyutl -encrypt -pkeyopt rsa_padding_mode:oaep -pkeyopt rsa_oaep_md:sha256</c>).</item>
/// <item>Private keys: a fresh 32-byte temporary AES key from the system CSPRNG per call;
/// <c>EncryptedKeyMaterial = RSA-OAEP(wrapping key, temporary key)</c> and
/// <c>EncryptedPrivateKey = AES-KWP(temporary key, PKCS#8 DER)</c>
/// (<c>openssl enc -id-aes256-wrap-pad -iv A65959A6</c>). The temporary key lives on the stack and is zeroed.</item>
/// </list>
/// </remarks>
public sealed class KeyMaterialWrapper : IKeyMaterialWrapper
{
    private const int TemporaryKeyLength = 32;

    /// <summary>A shared instance.</summary>
    public static KeyMaterialWrapper Shared { get; } = new();

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="material"/> or <paramref name="wrappingKey"/> is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="material"/> was disposed.</exception>
    public WrappedKeyMaterial Wrap(KeyMaterial material, WrappingPublicKey wrappingKey, WrappingAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(wrappingKey);
        WrappingPublicKey.ThrowIfUnsupported(algorithm);
        RSAEncryptionPadding padding = algorithm.Padding;
        ReadOnlySpan<byte> plaintext = material.Span;

        if (!material.IsPrivateKey)
        {
            int limit = algorithm.MaxPayloadLength(wrappingKey.ModulusLength);
            if (plaintext.Length > limit)
            {
                throw new KeyImportValidationException(
                    $"{material.KeySpec} material of {plaintext.Length} bytes does not fit RSA-OAEP under the RSA-{wrappingKey.KeySizeInBits} wrapping key with {algorithm} (at most {limit} bytes). Request a larger wrapping key or use RSAES_OAEP_SHA_256.");
            }

            return new WrappedKeyMaterial(Encrypt(wrappingKey, plaintext, padding), null);
        }

        Span<byte> temporaryKey = stackalloc byte[TemporaryKeyLength];
        try
        {
            RandomNumberGenerator.Fill(temporaryKey);
            byte[] encryptedTemporaryKey = Encrypt(wrappingKey, temporaryKey, padding);
            byte[] encryptedPrivateKey = AesKeyWrapPad.Wrap(temporaryKey, plaintext);
            return new WrappedKeyMaterial(encryptedTemporaryKey, encryptedPrivateKey);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(temporaryKey);
        }
    }

    // One allocation: the ciphertext, exactly the modulus length.
    private static byte[] Encrypt(WrappingPublicKey wrappingKey, ReadOnlySpan<byte> plaintext, RSAEncryptionPadding padding)
    {
        byte[] ciphertext = new byte[wrappingKey.ModulusLength];
        using RSA rsa = wrappingKey.CreateRsa();
        int written = rsa.Encrypt(plaintext, ciphertext, padding);
        return written == ciphertext.Length ? ciphertext : ciphertext[..written];
    }
}
