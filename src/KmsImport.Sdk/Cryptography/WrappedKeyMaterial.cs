namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// Wrapped material ready to import: <c>EncryptedKeyMaterial.bin</c> and, for private keys,
/// <c>out_rsa_private_key.der</c>, as raw bytes and as the Base64 the API takes. Ciphertext only.
/// </summary>
public sealed class WrappedKeyMaterial
{
    /// <summary>Creates wrapped material.</summary>
    /// <param name="encryptedKeyMaterial">RSA-OAEP of the material or of the temporary key.</param>
    /// <param name="encryptedPrivateKey">RFC 5649 wrap of the PKCS#8 private key; null for symmetric material.</param>
    public WrappedKeyMaterial(byte[] encryptedKeyMaterial, byte[]? encryptedPrivateKey)
    {
        ArgumentNullException.ThrowIfNull(encryptedKeyMaterial);
        EncryptedKeyMaterial = encryptedKeyMaterial;
        // Not a plain assignment: byte[] -> ReadOnlyMemory<byte>? turns null into an empty, non-null value.
        if (encryptedPrivateKey is not null)
        {
            EncryptedPrivateKey = encryptedPrivateKey;
        }
    }

    /// <summary>RSA-OAEP of the material (symmetric) or of the temporary key (asymmetric): <c>EncryptedKeyMaterial.bin</c>.</summary>
    public ReadOnlyMemory<byte> EncryptedKeyMaterial { get; }

    /// <summary>RFC 5649 wrap of the PKCS#8 private key: <c>out_rsa_private_key.der</c>; null for symmetric material.</summary>
    public ReadOnlyMemory<byte>? EncryptedPrivateKey { get; }

    /// <summary><see cref="EncryptedKeyMaterial"/> as the API's <c>encrypted_key_material</c>.</summary>
    public string EncryptedKeyMaterialBase64 => Convert.ToBase64String(EncryptedKeyMaterial.Span);

    /// <summary><see cref="EncryptedPrivateKey"/> as the API's <c>encrypted_privatekey</c>, or null.</summary>
    public string? EncryptedPrivateKeyBase64 => EncryptedPrivateKey is { } key ? Convert.ToBase64String(key.Span) : null;
}
