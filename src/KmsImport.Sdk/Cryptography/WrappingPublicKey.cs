using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// The service's RSA wrapping public key, parsed once and reusable across many wraps (thread-safe).
/// Loads the forms users have: SPKI DER (<c>PublicKey.bin</c>, <c>wrappingKey_{keyId}</c>), Base64
/// text (the API's <c>public_key</c>, <c>PublicKey.b64</c>) or PEM.
/// </summary>
/// <remarks>PLACEHOLDER: minimal loader; replaced by the full implementation.</remarks>
public sealed class WrappingPublicKey
{
    private readonly byte[] _subjectPublicKeyInfo;

    private WrappingPublicKey(RSA rsa, byte[] subjectPublicKeyInfo)
    {
        Rsa = rsa;
        _subjectPublicKeyInfo = subjectPublicKeyInfo;
    }

    /// <summary>The RSA modulus size in bits.</summary>
    public int KeySizeInBits => Rsa.KeySize;

    /// <summary>The key as X.509 SubjectPublicKeyInfo DER.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => _subjectPublicKeyInfo;

    internal RSA Rsa { get; }

    /// <summary>Loads a key from DER, Base64 text or PEM, detected from the content.</summary>
    /// <param name="data">The file or response content.</param>
    /// <returns>The key.</returns>
    /// <exception cref="KeyImportValidationException">The data is not an RSA public key of at least 2048 bits.</exception>
    public static WrappingPublicKey Load(ReadOnlySpan<byte> data) => FromSubjectPublicKeyInfo(data);

    /// <summary>Loads a key from the Base64 of its SPKI DER (the API's <c>public_key</c>).</summary>
    /// <param name="base64">The Base64 text.</param>
    /// <returns>The key.</returns>
    /// <exception cref="KeyImportValidationException">The text is not an RSA public key of at least 2048 bits.</exception>
    public static WrappingPublicKey FromBase64(string base64) => FromSubjectPublicKeyInfo(Convert.FromBase64String(base64));

    /// <summary>Loads a key from SubjectPublicKeyInfo DER.</summary>
    /// <param name="der">The DER bytes.</param>
    /// <returns>The key.</returns>
    /// <exception cref="KeyImportValidationException">The bytes are not an RSA public key of at least 2048 bits.</exception>
    public static WrappingPublicKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> der)
    {
        var rsa = RSA.Create();
        rsa.ImportSubjectPublicKeyInfo(der, out _);
        return new WrappingPublicKey(rsa, rsa.ExportSubjectPublicKeyInfo());
    }

    /// <summary>The SPKI DER as Base64, the form of the API's <c>public_key</c>.</summary>
    /// <returns>The Base64 text.</returns>
    public string ToBase64() => Convert.ToBase64String(_subjectPublicKeyInfo);

    /// <summary>A description of the key (size only).</summary>
    public override string ToString() => $"WrappingPublicKey {{ RSA-{KeySizeInBits} }}";
}
