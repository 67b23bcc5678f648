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
/// <item><c>SM2_ENCRYPT</c> (Huawei's Chinese regions): symmetric material (SM4) is SM2-encrypted with SM3 into the
/// GM/T 0009 DER ciphertext (<c>openssl pkeyutl -encrypt</c> with an SM2 key); a private key travels under a fresh
/// 16-byte SM4 temporary key, SM2-encrypted, with the PKCS#8 DER wrapped by RFC 5649 over SM4 (<see cref="Sm4KeyWrapPad"/>).</item>
/// <item>Legacy RSAES_OAEP_SHA_1 and RSAES_PKCS1_V1_5 are refused unless the wrapper was created with
/// <c>allowLegacyWrappingAlgorithms: true</c> (<see cref="Shared"/> refuses them); PKCS#1 v1.5 never wraps a private key.</item>
/// </list>
/// </remarks>
public sealed class KeyMaterialWrapper : IKeyMaterialWrapper
{
    private const int TemporaryKeyLength = 32;
    private const int Sm4TemporaryKeyLength = Sm4KeyWrapPad.KeyLength;

    private readonly bool _allowLegacyWrappingAlgorithms;

    /// <summary>Creates a wrapper.</summary>
    /// <param name="allowLegacyWrappingAlgorithms">
    /// Whether the legacy algorithms <c>RSAES_OAEP_SHA_1</c> and <c>RSAES_PKCS1_V1_5</c> may be used; false (the default)
    /// refuses them. Even when true, PKCS#1 v1.5 never wraps a private key.
    /// </param>
    public KeyMaterialWrapper(bool allowLegacyWrappingAlgorithms = false)
    {
        _allowLegacyWrappingAlgorithms = allowLegacyWrappingAlgorithms;
    }

    /// <summary>A shared instance that refuses the legacy wrapping algorithms.</summary>
    public static KeyMaterialWrapper Shared { get; } = new();

    /// <summary>A shared instance that allows the legacy wrapping algorithms (the client's and the CLI's opt-in).</summary>
    internal static KeyMaterialWrapper SharedAllowingLegacy { get; } = new(allowLegacyWrappingAlgorithms: true);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="material"/> or <paramref name="wrappingKey"/> is null.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="material"/> was disposed (also when disposed while this call runs).</exception>
    /// <exception cref="KeyImportValidationException">
    /// The material's spec is one the service does not import (for example SECP256K1); the algorithm is
    /// unknown, or legacy (RSAES_OAEP_SHA_1, RSAES_PKCS1_V1_5) without the opt-in; the wrapping key's type does
    /// not fit it (RSA for SM2_ENCRYPT, SM2 for RSA); the material does not fit; or a private key would be
    /// wrapped with PKCS#1 v1.5.
    /// </exception>
    public WrappedKeyMaterial Wrap(KeyMaterial material, WrappingPublicKey wrappingKey, WrappingAlgorithm algorithm)
    {
        ArgumentNullException.ThrowIfNull(material);
        ArgumentNullException.ThrowIfNull(wrappingKey);
        WrappingPublicKey.ThrowIfUnsupported(algorithm);
        if (algorithm.IsLegacy && !_allowLegacyWrappingAlgorithms)
        {
            throw new KeyImportValidationException(
                $"{algorithm} is a legacy wrapping algorithm and this wrapper refuses it: create it with new KeyMaterialWrapper(allowLegacyWrappingAlgorithms: true) to use it on purpose, or better use RSAES_OAEP_SHA_256.");
        }

        ImportRules.ThrowIfNotImportable(material.KeySpec);
        wrappingKey.ThrowIfMismatched(algorithm);
        if (algorithm.IsSm2)
        {
            return WrapSm2(material, wrappingKey);
        }

        if (material.IsPrivateKey && algorithm == WrappingAlgorithm.RsaesPkcs1V15)
        {
            throw new KeyImportValidationException(
                $"A {material.KeySpec} private key is never wrapped with RSAES_PKCS1_V1_5 (its temporary key would be exposed to padding-oracle attacks). Use RSAES_OAEP_SHA_256.");
        }

        RSAEncryptionPadding padding = algorithm.Padding;
        // The lease keeps a concurrent Dispose from zeroing the plaintext until this wrap is done.
        using KeyMaterial.Lease lease = material.AcquireLease();
        ReadOnlySpan<byte> plaintext = lease.Span;

        if (!material.IsPrivateKey)
        {
            int limit = algorithm.MaxPayloadLength(wrappingKey.ModulusLength);
            if (plaintext.Length > limit)
            {
                throw new KeyImportValidationException(
                    $"{material.KeySpec} material of {plaintext.Length} bytes does not fit RSA encryption under the RSA-{wrappingKey.KeySizeInBits} wrapping key with {algorithm} (at most {limit} bytes). Request a larger wrapping key or use RSAES_OAEP_SHA_256.");
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

    private static WrappedKeyMaterial WrapSm2(KeyMaterial material, WrappingPublicKey wrappingKey)
    {
        // The lease keeps a concurrent Dispose from zeroing the plaintext until this wrap is done.
        using KeyMaterial.Lease lease = material.AcquireLease();
        ReadOnlySpan<byte> plaintext = lease.Span;
        if (!material.IsPrivateKey)
        {
            if (plaintext.Length > Sm2Encryption.MaxPlaintextLength)
            {
                throw new KeyImportValidationException(
                    $"{material.KeySpec} material of {plaintext.Length} bytes is longer than SM2_ENCRYPT wraps here (at most {Sm2Encryption.MaxPlaintextLength} bytes).");
            }

            return new WrappedKeyMaterial(Sm2Encryption.Encrypt(wrappingKey.Sm2!, plaintext), null);
        }

        Span<byte> temporaryKey = stackalloc byte[Sm4TemporaryKeyLength];
        try
        {
            RandomNumberGenerator.Fill(temporaryKey);
            byte[] encryptedTemporaryKey = Sm2Encryption.Encrypt(wrappingKey.Sm2!, temporaryKey);
            byte[] encryptedPrivateKey = Sm4KeyWrapPad.Wrap(temporaryKey, plaintext);
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
