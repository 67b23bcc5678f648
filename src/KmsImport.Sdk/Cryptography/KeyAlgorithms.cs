using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// The one table of key algorithms this namespace reads: the OIDs of algorithms and curves, their readable
/// names, and which of them (at which sizes) are importable key specs. The private-key loaders, the SM2 code
/// and <see cref="WrappingPublicKey"/> all look things up here.
/// </summary>
internal static class KeyAlgorithms
{
    /// <summary><c>rsaEncryption</c> (PKCS#1), the algorithm of RSA keys.</summary>
    public const string RsaEncryptionOid = "1.2.840.113549.1.1.1";

    /// <summary><c>id-RSASSA-PSS</c>: an RSA key restricted to PSS signatures.</summary>
    public const string RsassaPssOid = "1.2.840.113549.1.1.10";

    /// <summary><c>id-ecPublicKey</c>, the algorithm of EC keys (SM2 included); its parameters name the curve.</summary>
    public const string EcPublicKeyOid = "1.2.840.10045.2.1";

    /// <summary>The SM2 curve sm2p256v1, the parameters of <c>id-ecPublicKey</c> for SM2 keys.</summary>
    public const string Sm2CurveOid = "1.2.156.10197.1.301";

    /// <summary>P-256 (prime256v1, secp256r1).</summary>
    public const string P256Oid = "1.2.840.10045.3.1.7";

    /// <summary>P-384 (secp384r1).</summary>
    public const string P384Oid = "1.3.132.0.34";

    /// <summary>secp256k1.</summary>
    public const string Secp256k1Oid = "1.3.132.0.10";

    /// <summary>The size of an SM2 key in bits.</summary>
    public const int Sm2KeySizeInBits = 256;

    private const string P521Oid = "1.3.132.0.35";
    private const string P224Oid = "1.3.132.0.33";
    private const string P192Oid = "1.2.840.10045.3.1.1";
    private const string BrainpoolP256r1Oid = "1.3.36.3.3.2.8.1.1.7";
    private const string BrainpoolP384r1Oid = "1.3.36.3.3.2.8.1.1.11";
    private const string Ed25519Oid = "1.3.101.112";
    private const string Ed448Oid = "1.3.101.113";
    private const string X25519Oid = "1.3.101.110";
    private const string DsaOid = "1.2.840.10040.4.1";
    private const string DhPkcs3Oid = "1.2.840.113549.1.3.1";
    private const string DhX942Oid = "1.2.840.10046.2.1";

    /// <summary>The importable RSA spec of a modulus size, or null: KMS imports RSA of 2048, 3072 and 4096 bits.</summary>
    public static KeySpec? RsaSpecOf(int keySizeInBits) => keySizeInBits switch
    {
        2048 => KeySpec.Rsa2048,
        3072 => KeySpec.Rsa3072,
        4096 => KeySpec.Rsa4096,
        _ => default(KeySpec?),
    };

    /// <summary>The spec of an EC curve this SDK loads (SM2 aside, which has its own path), or null.</summary>
    public static KeySpec? EcSpecOf(string? curveOid) => curveOid switch
    {
        P256Oid => KeySpec.EcP256,
        P384Oid => KeySpec.EcP384,
        Secp256k1Oid => KeySpec.Secp256k1,
        _ => default(KeySpec?),
    };

    /// <summary>Whether a PKCS#8 AlgorithmIdentifier is an SM2 key: id-ecPublicKey on the SM2 curve, or the SM2 OID itself.</summary>
    public static bool IsSm2(string? algorithmOid, string? curveOid) =>
        (algorithmOid == EcPublicKeyOid && curveOid == Sm2CurveOid) || algorithmOid == Sm2CurveOid;

    /// <summary>
    /// The OID of a curve as the platform reports it: its value where set, else from its friendly name
    /// (CNG and OpenSSL name the same curves differently); null when unknown.
    /// </summary>
    public static string? CurveOidOf(Oid? oid)
    {
        if (oid is null)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(oid.Value))
        {
            return oid.Value;
        }

        return oid.FriendlyName switch
        {
            "nistP256" or "ECDSA_P256" or "prime256v1" or "secp256r1" => P256Oid,
            "nistP384" or "ECDSA_P384" or "secp384r1" => P384Oid,
            "secP256k1" or "secp256k1" => Secp256k1Oid,
            _ => null,
        };
    }

    /// <summary>A readable name for an EC curve OID.</summary>
    public static string DescribeCurve(string? oid) => oid switch
    {
        P256Oid => "P-256",
        P384Oid => "P-384",
        P521Oid => "P-521",
        P224Oid => "P-224",
        P192Oid => "P-192",
        Secp256k1Oid => "secp256k1",
        Sm2CurveOid => "SM2",
        BrainpoolP256r1Oid => "brainpoolP256r1",
        BrainpoolP384r1Oid => "brainpoolP384r1",
        null => "explicit or unnamed curve parameters",
        _ => $"curve {oid}",
    };

    /// <summary>A readable name, with its article, for a key algorithm KMS does not take (neither RSA nor EC).</summary>
    public static string DescribeAlgorithm(string? oid) => oid switch
    {
        RsassaPssOid => "an RSASSA-PSS key",
        Ed25519Oid => "an Ed25519 key",
        Ed448Oid => "an Ed448 key",
        X25519Oid => "an X25519 key",
        DsaOid => "a DSA key",
        DhPkcs3Oid or DhX942Oid => "a Diffie-Hellman key",
        _ => $"a key of algorithm {oid}",
    };
}
