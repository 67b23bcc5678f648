using System.Security.Cryptography;

namespace KmsImport.Tests.Shared;

/// <summary>
/// Key material for the test suites, one copy linked into each test project that needs it.
/// The named keys are generated once per run by .NET (openssl-generated keys live in the OpenSSL
/// interop tests); RSA generation is the expensive part of a load run, so a small pool of RSA-2048
/// keys is made once and reused across keys (the emulator does not care that two keys hold the
/// same private key). A suite that audits secrets implements <see cref="OnSecretMade"/> in its own
/// part of this class, so every secret made by the <c>New…</c> members and <see cref="Register"/>
/// is registered with its audit; elsewhere the call compiles away.
/// </summary>
internal static partial class TestKeys
{
    private const int RsaPoolSize = 6;

    private static readonly Lazy<RSA> s_rsa1024 = new(() => RSA.Create(1024));
    private static readonly Lazy<RSA> s_rsa2048 = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> s_rsa3072 = new(() => RSA.Create(3072));
    private static readonly Lazy<RSA> s_rsa4096 = new(() => RSA.Create(4096));
    private static readonly Lazy<ECDsa> s_p256 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private static readonly Lazy<ECDsa> s_p384 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP384));
    private static readonly Lazy<ECDsa> s_p521 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP521));
    private static readonly Lazy<ECDsa> s_secp256k1 = new(() => ECDsa.Create(ECCurve.CreateFromFriendlyName("secP256k1")));

    private static readonly Lazy<byte[][]> s_rsa2048Pool = new(() =>
        Enumerable.Range(0, RsaPoolSize).Select(_ => NewRsaPkcs8(2048)).ToArray());

    public static RSA Rsa1024 => s_rsa1024.Value;

    public static RSA Rsa2048 => s_rsa2048.Value;

    public static RSA Rsa3072 => s_rsa3072.Value;

    public static RSA Rsa4096 => s_rsa4096.Value;

    public static ECDsa P256 => s_p256.Value;

    public static ECDsa P384 => s_p384.Value;

    public static ECDsa P521 => s_p521.Value;

    public static ECDsa Secp256k1 => s_secp256k1.Value;

    public static RSA Rsa(int bits) => bits switch
    {
        1024 => Rsa1024,
        2048 => Rsa2048,
        3072 => Rsa3072,
        4096 => Rsa4096,
        _ => throw new ArgumentOutOfRangeException(nameof(bits)),
    };

    /// <summary>PKCS#8 DER of one of the pooled RSA-2048 keys.</summary>
    public static byte[] Rsa2048Pkcs8(int index) => s_rsa2048Pool.Value[index % RsaPoolSize];

    /// <summary>32 fresh random bytes of AES-256 material, registered as a secret.</summary>
    public static byte[] NewAes256() => NewSecretBytes(32);

    /// <summary>Fresh random bytes, registered as a secret.</summary>
    public static byte[] NewSecretBytes(int length)
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(length);
        OnSecretMade(bytes);
        return bytes;
    }

    /// <summary>PKCS#8 DER of a fresh RSA key, registered as a secret (with its private parameters).</summary>
    public static byte[] NewRsaPkcs8(int bits)
    {
        using var rsa = RSA.Create(bits);
        return Register(rsa);
    }

    /// <summary>Registers an RSA key's PKCS#8 DER, PKCS#1 DER and private exponent and prime as secrets; returns the PKCS#8 DER.</summary>
    public static byte[] Register(RSA rsa)
    {
        byte[] der = rsa.ExportPkcs8PrivateKey();
        OnSecretMade(der);
        OnSecretMade(rsa.ExportRSAPrivateKey());
        RSAParameters parameters = rsa.ExportParameters(true);
        OnSecretMade(parameters.D);
        OnSecretMade(parameters.P);
        return der;
    }

    // Implemented by a suite with a secret audit; without an implementation the calls (and their
    // arguments) are removed by the compiler.
    static partial void OnSecretMade(byte[]? secret);
}
