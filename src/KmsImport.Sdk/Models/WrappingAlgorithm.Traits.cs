using System.Security.Cryptography;

namespace KmsImport.Sdk;

public readonly partial struct WrappingAlgorithm
{
    /// <summary>Whether this SDK can wrap material with this algorithm.</summary>
    public bool IsSupported => this == RsaesOaepSha256 || this == RsaesOaepSha1;

    /// <summary>The RSA padding for this algorithm.</summary>
    /// <exception cref="NotSupportedException">The algorithm is known but refused, or unknown.</exception>
    public RSAEncryptionPadding Padding => this == RsaesOaepSha1 ? RSAEncryptionPadding.OaepSHA1 :
        this == RsaesOaepSha256 ? RSAEncryptionPadding.OaepSHA256 :
        throw new NotSupportedException(GetRefusalReason());

    /// <summary>The length in bytes of the OAEP hash output.</summary>
    internal int HashLength => this == RsaesOaepSha1 ? 20 : 32;

    /// <summary>The largest payload OAEP can encrypt under a modulus of <paramref name="modulusBytes"/> bytes.</summary>
    internal int MaxPayloadLength(int modulusBytes) => modulusBytes - (2 * HashLength) - 2;

    /// <summary>Why this algorithm is refused, and what to use instead.</summary>
    internal string GetRefusalReason()
    {
        if (this == RsaesPkcs1V15)
        {
            return "The wrapping algorithm RSAES_PKCS1_V1_5 is refused: PKCS#1 v1.5 encryption is open to padding-oracle attacks. Use RSAES_OAEP_SHA_256, which every region supports.";
        }

        if (this == Sm2Encrypt)
        {
            return "The wrapping algorithm SM2_ENCRYPT is not supported by this SDK and is not offered in every region. Use RSAES_OAEP_SHA_256.";
        }

        return $"The wrapping algorithm '{this}' is unknown to this SDK. Use RSAES_OAEP_SHA_256 (default) or RSAES_OAEP_SHA_1.";
    }
}
