using System.Security.Cryptography;

namespace KmsImport.Sdk;

public readonly partial struct WrappingAlgorithm
{
    /// <summary>
    /// Whether this SDK can wrap material with this algorithm: RSAES_OAEP_SHA_256, SM2_ENCRYPT, and the
    /// legacy RSAES_OAEP_SHA_1 and RSAES_PKCS1_V1_5 (which the client uses only on explicit opt-in, see <see cref="IsLegacy"/>).
    /// </summary>
    public bool IsSupported => this == RsaesOaepSha256 || this == Sm2Encrypt || IsLegacy;

    /// <summary>
    /// Whether this is a legacy algorithm (RSAES_OAEP_SHA_1, RSAES_PKCS1_V1_5), still listed by Open Telekom
    /// Cloud's reference: the client uses it only with <see cref="KeyImportClientOptions.AllowLegacyWrappingAlgorithms"/>
    /// set and logs a warning each time; PKCS#1 v1.5 never wraps a private key.
    /// </summary>
    public bool IsLegacy => this == RsaesOaepSha1 || this == RsaesPkcs1V15;

    /// <summary>Whether this is an RSA encryption algorithm (the wrapping key is RSA).</summary>
    public bool IsRsa => this == RsaesOaepSha256 || IsLegacy;

    /// <summary>Whether this is SM2_ENCRYPT (the wrapping key is SM2; private keys travel under an SM4 temporary key).</summary>
    public bool IsSm2 => this == Sm2Encrypt;

    /// <summary>The RSA padding for the RSA algorithms.</summary>
    /// <exception cref="NotSupportedException">The algorithm is not an RSA algorithm, or unknown.</exception>
    public RSAEncryptionPadding Padding => this == RsaesOaepSha1 ? RSAEncryptionPadding.OaepSHA1 :
        this == RsaesOaepSha256 ? RSAEncryptionPadding.OaepSHA256 :
        this == RsaesPkcs1V15 ? RSAEncryptionPadding.Pkcs1 :
        throw new NotSupportedException(IsSupported ? $"{this} is not an RSA algorithm; it has no RSA padding." : GetRefusalReason());

    /// <summary>The length in bytes of the OAEP hash output.</summary>
    internal int HashLength => this == RsaesOaepSha1 ? 20 : 32;

    /// <summary>The largest payload this RSA algorithm can encrypt under a modulus of <paramref name="modulusBytes"/> bytes.</summary>
    internal int MaxPayloadLength(int modulusBytes) => this == RsaesPkcs1V15 ? modulusBytes - 11 : modulusBytes - (2 * HashLength) - 2;

    /// <summary>Why this algorithm is refused, and what to use instead.</summary>
    internal string GetRefusalReason()
    {
        if (_value is null)
        {
            return "The wrapping algorithm is not set (an empty value is unknown to this SDK). Use RSAES_OAEP_SHA_256 (the default), or SM2_ENCRYPT in Huawei's Chinese regions.";
        }

        return $"The wrapping algorithm '{this}' is unknown to this SDK. Use RSAES_OAEP_SHA_256 (default), SM2_ENCRYPT (Huawei's Chinese regions), or on explicit opt-in the legacy RSAES_OAEP_SHA_1 or RSAES_PKCS1_V1_5.";
    }
}
