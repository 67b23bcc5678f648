using System.Security.Cryptography;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>
/// Key material for the suite. RSA key generation is the expensive part of a load run, so a small
/// pool of RSA-2048 keys is made once and reused across keys (the emulator does not care that two
/// keys hold the same private key). Every secret made here is registered with the audit.
/// </summary>
internal static class TestKeys
{
    private const int RsaPoolSize = 6;

    private static readonly Lazy<byte[][]> s_rsa2048Pool = new(() =>
        Enumerable.Range(0, RsaPoolSize).Select(_ => NewRsaPkcs8(2048)).ToArray());

    /// <summary>PKCS#8 DER of one of the pooled RSA-2048 keys.</summary>
    public static byte[] Rsa2048Pkcs8(int index) => s_rsa2048Pool.Value[index % RsaPoolSize];

    /// <summary>32 fresh random bytes of AES-256 material, registered as a secret.</summary>
    public static byte[] NewAes256()
    {
        byte[] material = RandomNumberGenerator.GetBytes(32);
        SecretAudit.Secrets.Add(material);
        return material;
    }

    /// <summary>Fresh random bytes, registered as a secret.</summary>
    public static byte[] NewSecretBytes(int length)
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(length);
        SecretAudit.Secrets.Add(bytes);
        return bytes;
    }

    /// <summary>PKCS#8 DER of a fresh RSA key, registered as a secret (with its private parameters).</summary>
    public static byte[] NewRsaPkcs8(int bits)
    {
        using var rsa = RSA.Create(bits);
        return Register(rsa);
    }

    /// <summary>PKCS#8 DER of a fresh EC key on <paramref name="curve"/>, registered as a secret.</summary>
    public static byte[] NewEcPkcs8(ECCurve curve)
    {
        using var ec = ECDsa.Create(curve);
        byte[] der = ec.ExportPkcs8PrivateKey();
        SecretAudit.Secrets.Add(der);
        SecretAudit.Secrets.Add(ec.ExportParameters(true).D);
        return der;
    }

    /// <summary>Registers an RSA key's PKCS#8 DER, PKCS#1 DER and private exponent as secrets.</summary>
    public static byte[] Register(RSA rsa)
    {
        byte[] der = rsa.ExportPkcs8PrivateKey();
        SecretAudit.Secrets.Add(der);
        SecretAudit.Secrets.Add(rsa.ExportRSAPrivateKey());
        RSAParameters parameters = rsa.ExportParameters(true);
        SecretAudit.Secrets.Add(parameters.D);
        SecretAudit.Secrets.Add(parameters.P);
        return der;
    }
}
