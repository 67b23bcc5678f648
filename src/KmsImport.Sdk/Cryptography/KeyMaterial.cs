using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// Plaintext key material ready to wrap: symmetric bytes checked against a key spec, or a private
/// key normalized to unencrypted PKCS#8 DER. Holds a private copy that <see cref="Dispose"/> zeroes.
/// </summary>
/// <remarks>PLACEHOLDER: minimal loaders; replaced by the full implementation.</remarks>
public sealed class KeyMaterial : IDisposable
{
    private readonly byte[] _bytes;
    private bool _disposed;

    private KeyMaterial(KeySpec keySpec, bool isPrivateKey, byte[] bytes)
    {
        KeySpec = keySpec;
        IsPrivateKey = isPrivateKey;
        _bytes = bytes;
    }

    /// <summary>The key spec this material is for.</summary>
    public KeySpec KeySpec { get; }

    /// <summary>Whether this is a private key (PKCS#8) rather than symmetric material.</summary>
    public bool IsPrivateKey { get; }

    /// <summary>The length in bytes of the plaintext (symmetric bytes or PKCS#8 DER).</summary>
    public int Length => _bytes.Length;

    /// <summary>The plaintext; symmetric bytes or PKCS#8 DER.</summary>
    internal ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _bytes;
        }
    }

    /// <summary>Symmetric material for <paramref name="keySpec"/>, copied.</summary>
    /// <param name="material">The plaintext bytes.</param>
    /// <param name="keySpec">The spec; its length is checked.</param>
    /// <returns>The material.</returns>
    /// <exception cref="KeyImportValidationException">The length does not match or the spec is not importable symmetric.</exception>
    public static KeyMaterial FromSymmetricKey(ReadOnlySpan<byte> material, KeySpec keySpec)
    {
        if (keySpec.SymmetricMaterialLength != material.Length)
        {
            throw new KeyImportValidationException($"{keySpec} material must be {keySpec.SymmetricMaterialLength} bytes; got {material.Length}.");
        }

        return new KeyMaterial(keySpec, false, material.ToArray());
    }

    /// <summary>A private key from an <see cref="RSA"/> object.</summary>
    /// <param name="rsa">The key.</param>
    /// <returns>The material.</returns>
    public static KeyMaterial FromRsa(RSA rsa)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        KeySpec spec = rsa.KeySize switch { 2048 => KeySpec.Rsa2048, 3072 => KeySpec.Rsa3072, 4096 => KeySpec.Rsa4096, _ => throw new KeyImportValidationException($"RSA-{rsa.KeySize} cannot be imported; use 2048, 3072 or 4096 bits.") };
        return new KeyMaterial(spec, true, rsa.ExportPkcs8PrivateKey());
    }

    /// <summary>A private key from an <see cref="ECDsa"/> object.</summary>
    /// <param name="ecdsa">The key.</param>
    /// <returns>The material.</returns>
    public static KeyMaterial FromECDsa(ECDsa ecdsa)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        KeySpec spec = ecdsa.KeySize switch { 256 => KeySpec.EcP256, 384 => KeySpec.EcP384, _ => throw new KeyImportValidationException("unsupported curve") };
        return new KeyMaterial(spec, true, ecdsa.ExportPkcs8PrivateKey());
    }

    /// <summary>SHA-256 of the plaintext, lower-case hex: proof that a later re-import is identical.</summary>
    /// <returns>The fingerprint.</returns>
    public string ComputeFingerprint() => Convert.ToHexStringLower(SHA256.HashData(Span));

    /// <summary>Zeroes the plaintext copy.</summary>
    public void Dispose()
    {
        if (!_disposed)
        {
            CryptographicOperations.ZeroMemory(_bytes);
            _disposed = true;
        }
    }

    /// <summary>A description without the material.</summary>
    public override string ToString() => $"KeyMaterial {{ KeySpec = {KeySpec}, IsPrivateKey = {IsPrivateKey} }}";
}
