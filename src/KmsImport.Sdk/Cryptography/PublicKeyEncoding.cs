using System.Formats.Asn1;
using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// Public keys in the forms KMS uses: get-publickey's PEM (SubjectPublicKeyInfo, or PKCS#1 under a
/// <c>PUBLIC KEY</c> label as the published example is), and the public half of imported material,
/// both normalised to DER SubjectPublicKeyInfo so they can be compared byte for byte.
/// </summary>
internal static class PublicKeyEncoding
{
    /// <exception cref="FormatException">Not a PEM public key this SDK can read.</exception>
    public static byte[] PemToSubjectPublicKeyInfo(string pem)
    {
        if (!PemEncoding.TryFind(pem, out PemFields fields))
        {
            throw new FormatException("The public key is not PEM text (no -----BEGIN ...----- block).");
        }

        string label = pem[fields.Label].ToString();
        if (label is not ("PUBLIC KEY" or "RSA PUBLIC KEY"))
        {
            throw new FormatException($"The PEM block is labelled '{label}', not 'PUBLIC KEY'.");
        }

        byte[] der = Convert.FromBase64String(pem[fields.Base64Data].ToString());
        return Normalise(der);
    }

    /// <summary>The SubjectPublicKeyInfo of imported private-key material (PKCS#8 DER).</summary>
    /// <exception cref="CryptographicException">The material is not an RSA or EC private key.</exception>
    public static byte[] SubjectPublicKeyInfoOf(KeyMaterial material)
    {
        using KeyMaterial.Lease lease = material.AcquireLease();
        if (material.KeySpec == KeySpec.Sm2)
        {
            // BouncyCastle: the platform has no SM2 on Windows or macOS.
            return Sm2SubjectPublicKeyInfo(lease.Span);
        }

        if (material.KeySpec.IsRsa)
        {
            using RSA rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(lease.Span, out _);
            return rsa.ExportSubjectPublicKeyInfo();
        }

        using ECDsa ec = ECDsa.Create();
        ec.ImportPkcs8PrivateKey(lease.Span, out _);
        return ec.ExportSubjectPublicKeyInfo();
    }

    // PrivateKeyInfo { version, AlgorithmIdentifier, OCTET STRING { ECPrivateKey { 1, OCTET STRING d, ... } } }:
    // the public point is d * G, encoded as { { id-ecPublicKey, sm2p256v1 }, BIT STRING 04 || x || y }.
    private static byte[] Sm2SubjectPublicKeyInfo(ReadOnlySpan<byte> pkcs8)
    {
        ReadOnlySpan<byte> scalar;
        try
        {
            if (!DerKeyReader.TryReadEcPrivateKey(DerKeyReader.ReadPkcs8PrivateKey(pkcs8), out scalar, out _, out _))
            {
                throw new CryptographicException("The SM2 private key's ECPrivateKey has an unsupported version.");
            }
        }
        catch (AsnContentException ex)
        {
            throw new CryptographicException("The SM2 private key's PKCS#8 is malformed.", ex);
        }

        byte[] scalarCopy = scalar.ToArray();
        try
        {
            var d = new Org.BouncyCastle.Math.BigInteger(1, scalarCopy);
            byte[] point = Sm2Encryption.Domain.G.Multiply(d).Normalize().GetEncoded(false);
            var writer = new AsnWriter(AsnEncodingRules.DER);
            using (writer.PushSequence())
            {
                using (writer.PushSequence())
                {
                    writer.WriteObjectIdentifier(KeyAlgorithms.EcPublicKeyOid);
                    writer.WriteObjectIdentifier(KeyAlgorithms.Sm2CurveOid);
                }

                writer.WriteBitString(point);
            }

            return writer.Encode();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(scalarCopy);
        }
    }

    // SubjectPublicKeyInfo first; then PKCS#1 RSAPublicKey, re-encoded as SubjectPublicKeyInfo.
    private static byte[] Normalise(byte[] der)
    {
        try
        {
            using RSA rsa = RSA.Create();
            rsa.ImportSubjectPublicKeyInfo(der, out int read);
            if (read == der.Length)
            {
                return rsa.ExportSubjectPublicKeyInfo();
            }
        }
        catch (CryptographicException)
        {
            // Not an RSA SubjectPublicKeyInfo: an EC one, or PKCS#1.
        }

        try
        {
            using ECDsa ec = ECDsa.Create();
            ec.ImportSubjectPublicKeyInfo(der, out int read);
            if (read == der.Length)
            {
                return ec.ExportSubjectPublicKeyInfo();
            }
        }
        catch (CryptographicException)
        {
            // Not an EC SubjectPublicKeyInfo either.
        }

        try
        {
            using RSA rsa = RSA.Create();
            rsa.ImportRSAPublicKey(der, out int read);
            if (read == der.Length)
            {
                return rsa.ExportSubjectPublicKeyInfo();
            }
        }
        catch (CryptographicException)
        {
            // Described below.
        }

        throw new FormatException("The PEM holds neither a SubjectPublicKeyInfo (RSA or EC) nor a PKCS#1 RSA public key.");
    }
}
