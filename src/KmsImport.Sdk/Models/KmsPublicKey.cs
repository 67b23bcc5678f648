using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk;

/// <summary>The public key of an asymmetric KMS key, as get-publickey returns it.</summary>
public sealed class KmsPublicKey
{
    private readonly byte[] _subjectPublicKeyInfo;

    private KmsPublicKey(string keyId, string pem, byte[] subjectPublicKeyInfo)
    {
        KeyId = keyId;
        Pem = pem;
        _subjectPublicKeyInfo = subjectPublicKeyInfo;
        Fingerprint = Convert.ToHexStringLower(SHA256.HashData(subjectPublicKeyInfo));
    }

    /// <summary>The key id.</summary>
    public string KeyId { get; }

    /// <summary>The PEM text exactly as the service sent it (CRLF or LF line breaks).</summary>
    public string Pem { get; }

    /// <summary>The key as DER SubjectPublicKeyInfo, whichever form (SPKI or PKCS#1) the PEM held.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => _subjectPublicKeyInfo;

    /// <summary>Lower-case hex SHA-256 of <see cref="SubjectPublicKeyInfo"/>.</summary>
    public string Fingerprint { get; }

    /// <summary>
    /// Reads the PEM get-publickey returns: a <c>PUBLIC KEY</c> (or <c>RSA PUBLIC KEY</c>) block
    /// with CRLF or LF line breaks, holding a SubjectPublicKeyInfo or (as the published example does
    /// under a <c>PUBLIC KEY</c> label) a PKCS#1 RSAPublicKey.
    /// </summary>
    /// <param name="keyId">The key id.</param>
    /// <param name="pem">The PEM text.</param>
    /// <returns>The public key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyId"/> or <paramref name="pem"/> is null.</exception>
    /// <exception cref="FormatException">The text is not a PEM public key of a supported kind.</exception>
    public static KmsPublicKey FromPem(string keyId, string pem)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(pem);
        return new KmsPublicKey(keyId, pem, PublicKeyEncoding.PemToSubjectPublicKeyInfo(pem));
    }

    /// <summary>A description with the key id and the fingerprint.</summary>
    /// <returns>The description.</returns>
    public override string ToString() => $"KmsPublicKey {{ KeyId = {KeyId}, Fingerprint = sha256:{Fingerprint} }}";
}
