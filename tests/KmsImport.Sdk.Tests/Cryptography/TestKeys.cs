using System.Security.Cryptography;

namespace KmsImport.Sdk.Tests.Cryptography;

// Keys generated once per test run by .NET (openssl-generated keys live in OpenSslInteropTests).
internal static class TestKeys
{
    private static readonly Lazy<RSA> s_rsa1024 = new(() => RSA.Create(1024));
    private static readonly Lazy<RSA> s_rsa2048 = new(() => RSA.Create(2048));
    private static readonly Lazy<RSA> s_rsa3072 = new(() => RSA.Create(3072));
    private static readonly Lazy<RSA> s_rsa4096 = new(() => RSA.Create(4096));
    private static readonly Lazy<ECDsa> s_p256 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP256));
    private static readonly Lazy<ECDsa> s_p384 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP384));
    private static readonly Lazy<ECDsa> s_p521 = new(() => ECDsa.Create(ECCurve.NamedCurves.nistP521));
    private static readonly Lazy<ECDsa> s_secp256k1 = new(() => ECDsa.Create(ECCurve.CreateFromFriendlyName("secP256k1")));

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
}
