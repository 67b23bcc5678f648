using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using BigInteger = Org.BouncyCastle.Math.BigInteger;
using BcECPoint = Org.BouncyCastle.Math.EC.ECPoint;

namespace KmsImport.Sdk.Cryptography;

public sealed partial class KeyMaterial
{
    private const int Sm2ScalarLength = 32;
    private const int Sm2Pkcs8Length = 138;

    private const string HowToMakeSm2 = "Generate one with 'openssl genpkey -algorithm SM2 -out sm2.pem'.";

    // OpenSSL's PKCS#8 of an SM2 key ('openssl pkcs8 -topk8 -nocrypt -outform DER'): PrivateKeyInfo { 0,
    // { id-ecPublicKey, sm2p256v1 }, OCTET STRING { ECPrivateKey { 1, d (32 bytes), [1] { BIT STRING 04||x||y } } } },
    // 138 bytes. The header precedes d, the middle part precedes the 64 bytes of x || y.
    private static ReadOnlySpan<byte> Sm2Pkcs8Header =>
    [
        0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
        0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x82, 0x2D, 0x04, 0x6D, 0x30, 0x6B, 0x02, 0x01, 0x01,
        0x04, 0x20,
    ];

    private static ReadOnlySpan<byte> Sm2Pkcs8PublicKeyPrefix => [0xA1, 0x44, 0x03, 0x42, 0x00, 0x04];

    /// <summary>
    /// An SM2 private key (PKCS#8 with id-ecPublicKey and the SM2 curve, or SEC1 ECPrivateKey naming the SM2 curve),
    /// checked (the scalar is in range; a stored public point must match it) and normalized to OpenSSL's PKCS#8.
    /// </summary>
    private static KeyMaterial FromSm2(ReadOnlySpan<byte> der, DerFormat format, KeySpec? expectedKeySpec)
    {
        ThrowIfUnexpected(KeySpec.Sm2, expectedKeySpec);
        const AsnEncodingRules Rules = AsnEncodingRules.BER;
        ReadOnlySpan<byte> ecPrivateKey = der;
        try
        {
            if (format == DerFormat.Pkcs8)
            {
                // PrivateKeyInfo: version, AlgorithmIdentifier, OCTET STRING { ECPrivateKey }, read in place.
                AsnDecoder.ReadSequence(der, Rules, out int offset, out int length, out _);
                ReadOnlySpan<byte> body = der.Slice(offset, length);
                AsnDecoder.ReadEncodedValue(body, Rules, out _, out _, out int versionLength);
                body = body[versionLength..];
                AsnDecoder.ReadEncodedValue(body, Rules, out _, out _, out int algorithmLength);
                body = body[algorithmLength..];
                if (!AsnDecoder.TryReadPrimitiveOctetString(body, Rules, out ecPrivateKey, out _))
                {
                    throw new AsnContentException();
                }
            }

            AsnDecoder.ReadSequence(ecPrivateKey, Rules, out int keyOffset, out int keyLength, out _);
            ReadOnlySpan<byte> key = ecPrivateKey.Slice(keyOffset, keyLength);
            if (!AsnDecoder.TryReadInt32(key, Rules, out int version, out int read) || version != 1)
            {
                throw new KeyImportValidationException("The SM2 private key's ECPrivateKey structure has an unsupported version (expected 1). Re-export it with 'openssl pkcs8 -topk8 -nocrypt'.");
            }

            key = key[read..];
            if (!AsnDecoder.TryReadPrimitiveOctetString(key, Rules, out ReadOnlySpan<byte> scalar, out read))
            {
                throw new AsnContentException();
            }

            key = key[read..];
            ReadOnlySpan<byte> publicPoint = default;
            var parametersTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            var publicKeyTag = new Asn1Tag(TagClass.ContextSpecific, 1, isConstructed: true);
            if (!key.IsEmpty && Asn1Tag.Decode(key, out _) == parametersTag)
            {
                AsnDecoder.ReadEncodedValue(key, Rules, out int parametersOffset, out int parametersLength, out read);
                string curve = AsnDecoder.ReadObjectIdentifier(key.Slice(parametersOffset, parametersLength), Rules, out _);
                if (curve != Sm2CurveOid)
                {
                    throw new KeyImportValidationException($"The SM2 private key names two different curves (SM2 and {DescribeCurve(curve)}); the file was edited. Re-export the key with openssl.");
                }

                key = key[read..];
            }

            if (!key.IsEmpty && Asn1Tag.Decode(key, out _) == publicKeyTag)
            {
                AsnDecoder.ReadEncodedValue(key, Rules, out int publicOffset, out int publicLength, out _);
                if (!AsnDecoder.TryReadPrimitiveBitString(key.Slice(publicOffset, publicLength), Rules, out int unusedBits, out publicPoint, out _) || unusedBits != 0)
                {
                    throw new AsnContentException();
                }
            }

            return NormalizeSm2(scalar, publicPoint);
        }
        catch (AsnContentException ex)
        {
            throw new KeyImportValidationException(
                $"The SM2 private key's {Describe(format)} structure is malformed or truncated. Re-export it, e.g. 'openssl pkcs8 -topk8 -nocrypt -in sm2.pem -outform DER -out sm2.der'.", ex);
        }
    }

    private static KeyMaterial NormalizeSm2(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> publicPoint)
    {
        ReadOnlySpan<byte> trimmed = scalar.TrimStart((byte)0);
        if (trimmed.Length > Sm2ScalarLength)
        {
            throw new KeyImportValidationException($"The SM2 private scalar is {trimmed.Length} bytes; an SM2 private key is at most {Sm2ScalarLength}. The key is corrupted or not SM2. " + HowToMakeSm2);
        }

        // SM2 private keys lie in [1, n - 2] (GB/T 32918.1: 1 + d must be invertible).
        ECDomainParameters domain = Sm2Encryption.Domain;
        var d = new BigInteger(1, trimmed);
        if (d.SignValue <= 0 || d.CompareTo(domain.N.Subtract(BigInteger.One)) >= 0)
        {
            throw new KeyImportValidationException("The SM2 private scalar is out of range (it must be from 1 to n - 2); the key is corrupted. " + HowToMakeSm2);
        }

        BcECPoint q = domain.G.Multiply(d).Normalize();
        if (!publicPoint.IsEmpty)
        {
            BcECPoint stored;
            try
            {
                stored = domain.Curve.DecodePoint(publicPoint.ToArray());
            }
            catch (ArgumentException ex)
            {
                throw new KeyImportValidationException("The SM2 private key's public point is not on the SM2 curve; the key is corrupted. Re-export the key from its source.", ex);
            }

            if (!stored.Equals(q))
            {
                throw new KeyImportValidationException("The SM2 private key is inconsistent: its private scalar does not match its public point. Re-export the key from its source.");
            }
        }

        byte[] buffer = GC.AllocateUninitializedArray<byte>(Sm2Pkcs8Length, pinned: true);
        Span<byte> output = buffer;
        Sm2Pkcs8Header.CopyTo(output);
        Span<byte> scalarField = output.Slice(Sm2Pkcs8Header.Length, Sm2ScalarLength);
        scalarField.Clear();
        trimmed.CopyTo(scalarField[(Sm2ScalarLength - trimmed.Length)..]);
        int position = Sm2Pkcs8Header.Length + Sm2ScalarLength;
        Sm2Pkcs8PublicKeyPrefix.CopyTo(output[position..]);
        position += Sm2Pkcs8PublicKeyPrefix.Length;
        // Public values: fixed-length (32-byte) field encodings.
        q.AffineXCoord.GetEncoded().CopyTo(output.Slice(position, Sm2ScalarLength));
        q.AffineYCoord.GetEncoded().CopyTo(output.Slice(position + Sm2ScalarLength, Sm2ScalarLength));
        return new KeyMaterial(KeySpec.Sm2, true, buffer, Sm2Pkcs8Length);
    }

    // The platform exported an SM2 key (OpenSSL 3 reads them as ECDsa): take its PKCS#8 through the SM2 path.
    private static KeyMaterial FromSm2Platform(ECDsa ecdsa, KeySpec? expectedKeySpec)
    {
        KeyMaterial exported = Export(KeySpec.Sm2, 512, ecdsa, static (key, destination) => (key.TryExportPkcs8PrivateKey(destination, out int written), written));
        using (exported)
        {
            return FromSm2(exported.Span, DerFormat.Pkcs8, expectedKeySpec);
        }
    }

    // Where the platform cannot decrypt an encrypted PKCS#8 SM2 key (Windows CNG has no SM2), BouncyCastle does; null when it cannot either.
    internal static KeyMaterial? TryFromEncryptedSm2(ReadOnlySpan<byte> der, ReadOnlySpan<char> password, KeySpec? expectedKeySpec)
    {
        char[] passwordCopy = GC.AllocateUninitializedArray<char>(password.Length, pinned: true);
        byte[]? pkcs8 = null;
        try
        {
            password.CopyTo(passwordCopy);
            PrivateKeyInfo info = PrivateKeyInfoFactory.CreatePrivateKeyInfo(passwordCopy, EncryptedPrivateKeyInfo.GetInstance(der.ToArray()));
            pkcs8 = info.GetDerEncoded();
            if (Inspect(pkcs8, "encrypted PKCS#8", out string? algorithmOid, out string? curveOid) != DerFormat.Pkcs8 || !IsSm2(algorithmOid, curveOid))
            {
                return null;
            }

            return FromSm2(pkcs8, DerFormat.Pkcs8, expectedKeySpec);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or KeyImportValidationException))
        {
            // A key that decrypted but is not importable (wrong spec, bad scalar) is reported as such, by FromSm2.
            // BouncyCastle refuses malformed or unknown structures with many exception types (SecurityUtilityException,
            // Asn1 parsing errors, InvalidCastException...): all mean "not an encrypted SM2 key this password opens".
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(passwordCopy.AsSpan()));
            if (pkcs8 is not null)
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }
    }

    private static bool IsSm2(string? algorithmOid, string? curveOid) =>
        (algorithmOid == EcPublicKeyOid && curveOid == Sm2CurveOid) || algorithmOid == Sm2CurveOid;
}
