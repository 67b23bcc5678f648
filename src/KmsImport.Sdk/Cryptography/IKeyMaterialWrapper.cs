namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// Wraps plaintext key material for import, as the console guide's <c>openssl</c> steps do.
/// Symmetric: RSA-OAEP(wrapping key, material). Asymmetric: a fresh 32-byte temporary AES key,
/// RSA-OAEP(wrapping key, temporary key), and the PKCS#8 private key under RFC 5649 with it.
/// </summary>
public interface IKeyMaterialWrapper
{
    /// <summary>Wraps <paramref name="material"/> under <paramref name="wrappingKey"/>.</summary>
    /// <param name="material">The plaintext material.</param>
    /// <param name="wrappingKey">The service's wrapping public key.</param>
    /// <param name="algorithm">The wrapping algorithm the key was issued for.</param>
    /// <returns>The ciphertexts to import.</returns>
    /// <exception cref="KeyImportValidationException">The algorithm is refused or the material does not fit.</exception>
    WrappedKeyMaterial Wrap(KeyMaterial material, WrappingPublicKey wrappingKey, WrappingAlgorithm algorithm);
}
