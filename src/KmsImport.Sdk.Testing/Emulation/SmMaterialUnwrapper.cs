using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>
/// The service side of <c>SM2_ENCRYPT</c>, written on BouncyCastle directly and independent of the SDK's SM code:
/// SM2 wrapping key pairs, SM2 decryption of the GM/T 0009 DER ciphertext, the RFC 5649 unwrap over SM4
/// (BouncyCastle's <c>Rfc5649WrapEngine</c> over <c>SM4Engine</c>), and the checks of an SM2 PKCS#8 private key.
/// Every failure is a plain false, with no detail.
/// </summary>
internal static class SmMaterialUnwrapper
{
    private static readonly ECNamedDomainParameters s_domain =
        new(GMObjectIdentifiers.sm2p256v1, GMNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1));

    /// <summary>A fresh SM2 key pair; returns the private key and the public key as SPKI DER (id-ecPublicKey, sm2p256v1).</summary>
    public static ECPrivateKeyParameters GenerateWrappingKey(out byte[] subjectPublicKeyInfo)
    {
        var generator = new ECKeyPairGenerator();
        generator.Init(new ECKeyGenerationParameters(s_domain, new SecureRandom(new CryptoApiRandomGenerator())));
        AsymmetricCipherKeyPair pair = generator.GenerateKeyPair();
        subjectPublicKeyInfo = SubjectPublicKeyInfoFactory.CreateSubjectPublicKeyInfo(pair.Public).GetDerEncoded();
        return (ECPrivateKeyParameters)pair.Private;
    }

    /// <summary>SM2 decryption (SM3) of the DER ciphertext <c>SEQUENCE { x, y, hash, ciphertext }</c>; false for any failure.</summary>
    public static bool TryDecrypt(ECPrivateKeyParameters privateKey, ReadOnlySpan<byte> der, out byte[]? plaintext)
    {
        plaintext = null;
        byte[]? raw = null;
        try
        {
            var reader = new AsnReader(der.ToArray(), AsnEncodingRules.DER);
            AsnReader sequence = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            ReadOnlySpan<byte> x = sequence.ReadIntegerBytes().Span;
            ReadOnlySpan<byte> y = sequence.ReadIntegerBytes().Span;
            byte[] hash = sequence.ReadOctetString();
            byte[] ciphertext = sequence.ReadOctetString();
            sequence.ThrowIfNotEmpty();
            if (hash.Length != 32 || ciphertext.Length == 0 || !TryCoordinate(x, out ReadOnlySpan<byte> xValue) || !TryCoordinate(y, out ReadOnlySpan<byte> yValue))
            {
                return false;
            }

            raw = new byte[65 + 32 + ciphertext.Length];
            raw[0] = 0x04;
            xValue.CopyTo(raw.AsSpan(33 - xValue.Length));
            yValue.CopyTo(raw.AsSpan(65 - yValue.Length));
            hash.CopyTo(raw, 65);
            ciphertext.CopyTo(raw, 97);

            var engine = new SM2Engine(new SM3Digest(), SM2Engine.Mode.C1C3C2);
            engine.Init(false, privateKey);
            plaintext = engine.ProcessBlock(raw, 0, raw.Length);
            return true;
        }
        catch (Exception ex) when (ex is AsnContentException or InvalidCipherTextException or ArgumentException or InvalidOperationException)
        {
            return false;
        }
        finally
        {
            if (raw is not null)
            {
                CryptographicOperations.ZeroMemory(raw);
            }
        }
    }

    /// <summary>RFC 5649 unwrap over SM4 (initial value A65959A6) under a 16-byte temporary key; false for any failure.</summary>
    public static bool TryUnwrapPrivateKey(ReadOnlySpan<byte> temporaryKey, ReadOnlySpan<byte> wrapped, out byte[]? pkcs8)
    {
        pkcs8 = null;
        if (temporaryKey.Length != 16 || wrapped.Length < 16 || wrapped.Length % 8 != 0)
        {
            return false;
        }

        try
        {
            var engine = new Rfc5649WrapEngine(new SM4Engine());
            engine.Init(false, new KeyParameter(temporaryKey));
            byte[] input = wrapped.ToArray();
            pkcs8 = engine.Unwrap(input, 0, input.Length);
            return true;
        }
        catch (InvalidCipherTextException)
        {
            return false;
        }
    }

    /// <summary>
    /// Whether <paramref name="pkcs8"/> is an unencrypted PKCS#8 SM2 private key in DER (id-ecPublicKey with the SM2
    /// curve), its scalar in [1, n - 2], its public point (when present) matching the scalar, with no trailing bytes.
    /// </summary>
    public static bool IsSm2PrivateKey(byte[] pkcs8)
    {
        try
        {
            Asn1Object parsed = Asn1Object.FromByteArray(pkcs8);
            if (!parsed.GetDerEncoded().AsSpan().SequenceEqual(pkcs8))
            {
                return false;
            }

            PrivateKeyInfo info = PrivateKeyInfo.GetInstance(parsed);
            if (!X9ObjectIdentifiers.IdECPublicKey.Equals(info.PrivateKeyAlgorithm.Algorithm)
                || !GMObjectIdentifiers.sm2p256v1.Equals(info.PrivateKeyAlgorithm.Parameters))
            {
                return false;
            }

            ECPrivateKeyStructure key = ECPrivateKeyStructure.GetInstance(info.ParsePrivateKey());
            BigInteger d = key.GetKey();
            if (d.SignValue <= 0 || d.CompareTo(s_domain.N.Subtract(BigInteger.One)) >= 0)
            {
                return false;
            }

            if (key.PublicKey is { } publicKey)
            {
                Org.BouncyCastle.Math.EC.ECPoint expected = s_domain.G.Multiply(d).Normalize();
                return s_domain.Curve.DecodePoint(publicKey.GetOctets()).Equals(expected);
            }

            return true;
        }
        catch (Exception ex) when (ex is ArgumentException or IOException or InvalidCastException or InvalidOperationException)
        {
            return false;
        }
    }

    private static bool TryCoordinate(ReadOnlySpan<byte> integer, out ReadOnlySpan<byte> value)
    {
        // A non-negative INTEGER of at most 32 significant bytes.
        value = integer.TrimStart((byte)0);
        return (integer[0] & 0x80) == 0 && value.Length <= 32;
    }
}
