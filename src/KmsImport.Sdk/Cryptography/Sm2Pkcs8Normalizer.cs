using System.Formats.Asn1;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.Pkcs;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Pkcs;
using BcECPoint = Org.BouncyCastle.Math.EC.ECPoint;
using BigInteger = Org.BouncyCastle.Math.BigInteger;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// SM2 private keys (Huawei's Chinese regions) on BouncyCastle, since not every platform has SM2: PKCS#8 with
/// id-ecPublicKey and the SM2 curve, SEC1 naming the SM2 curve, or encrypted PKCS#8, checked (the scalar is in
/// range; a stored public point must match it) and normalized to the 138-byte PKCS#8 that
/// <c>openssl pkcs8 -topk8 -nocrypt -outform DER</c> writes for an SM2 key.
/// </summary>
/// <remarks>BouncyCastle's big-integer copy of the scalar during the check is outside this SDK's reach to zero.</remarks>
internal static class Sm2Pkcs8Normalizer
{
    private const int ScalarLength = 32;
    private const int Pkcs8Length = 138;

    private const string HowToMakeSm2 = "Generate one with 'openssl genpkey -algorithm SM2 -out sm2.pem'.";

    // OpenSSL's PKCS#8 of an SM2 key ('openssl pkcs8 -topk8 -nocrypt -outform DER'): PrivateKeyInfo { 0,
    // { id-ecPublicKey, sm2p256v1 }, OCTET STRING { ECPrivateKey { 1, d (32 bytes), [1] { BIT STRING 04||x||y } } } },
    // 138 bytes. The header precedes d, the middle part precedes the 64 bytes of x || y.
    private static ReadOnlySpan<byte> Pkcs8Header =>
    [
        0x30, 0x81, 0x87, 0x02, 0x01, 0x00, 0x30, 0x13, 0x06, 0x07, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x02, 0x01,
        0x06, 0x08, 0x2A, 0x81, 0x1C, 0xCF, 0x55, 0x01, 0x82, 0x2D, 0x04, 0x6D, 0x30, 0x6B, 0x02, 0x01, 0x01,
        0x04, 0x20,
    ];

    private static ReadOnlySpan<byte> Pkcs8PublicKeyPrefix => [0xA1, 0x44, 0x03, 0x42, 0x00, 0x04];

    /// <summary>
    /// An SM2 private key (PKCS#8 with id-ecPublicKey and the SM2 curve, or SEC1 ECPrivateKey naming the SM2 curve),
    /// checked (the scalar is in range; a stored public point must match it) and normalized to OpenSSL's PKCS#8.
    /// </summary>
    /// <param name="der">The key, of a format <see cref="DerKeyReader.InspectPrivateKey"/> told.</param>
    /// <param name="format"><see cref="PrivateKeyFormat.Pkcs8"/> or <see cref="PrivateKeyFormat.Sec1"/>.</param>
    /// <param name="expectedKeySpec">When set, it must be SM2.</param>
    public static KeyMaterial FromDer(ReadOnlySpan<byte> der, PrivateKeyFormat format, KeySpec? expectedKeySpec)
    {
        Pkcs8Normalizer.ThrowIfUnexpected(KeySpec.Sm2, expectedKeySpec);
        try
        {
            ReadOnlySpan<byte> ecPrivateKey = format == PrivateKeyFormat.Pkcs8 ? DerKeyReader.ReadPkcs8PrivateKey(der) : der;
            if (!DerKeyReader.TryReadEcPrivateKey(ecPrivateKey, out ReadOnlySpan<byte> scalar, out string? curve, out ReadOnlySpan<byte> publicPoint))
            {
                throw new KeyImportValidationException("The SM2 private key's ECPrivateKey structure has an unsupported version (expected 1). Re-export it with 'openssl pkcs8 -topk8 -nocrypt'.");
            }

            if (curve is not null && curve != KeyAlgorithms.Sm2CurveOid)
            {
                throw new KeyImportValidationException($"The SM2 private key names two different curves (SM2 and {KeyAlgorithms.DescribeCurve(curve)}); the file was edited. Re-export the key with openssl.");
            }

            return Normalize(scalar, publicPoint);
        }
        catch (AsnContentException ex)
        {
            throw new KeyImportValidationException(
                $"The SM2 private key's {DerKeyReader.Describe(format)} structure is malformed or truncated. Re-export it, e.g. 'openssl pkcs8 -topk8 -nocrypt -in sm2.pem -outform DER -out sm2.der'.", ex);
        }
    }

    /// <summary>The platform read an SM2 key (OpenSSL 3 reads them as ECDsa): its PKCS#8 goes through the SM2 path.</summary>
    public static KeyMaterial FromPlatform(ECDsa ecdsa, KeySpec? expectedKeySpec)
    {
        using KeyMaterial exported = Pkcs8Normalizer.ExportPkcs8(KeySpec.Sm2, ecdsa);
        return FromDer(exported.Span, PrivateKeyFormat.Pkcs8, expectedKeySpec);
    }

    /// <summary>
    /// An encrypted PKCS#8 SM2 key decrypted by BouncyCastle, where the platform cannot (Windows CNG has no SM2);
    /// null when BouncyCastle cannot either or the key is not SM2.
    /// </summary>
    /// <exception cref="KeyImportValidationException">The key decrypted but is not importable (wrong spec, bad scalar).</exception>
    public static KeyMaterial? TryFromEncrypted(ReadOnlySpan<byte> der, ReadOnlySpan<char> password, KeySpec? expectedKeySpec)
    {
        char[] passwordCopy = GC.AllocateUninitializedArray<char>(password.Length, pinned: true);
        byte[]? pkcs8 = null;
        try
        {
            password.CopyTo(passwordCopy);
            PrivateKeyInfo info = PrivateKeyInfoFactory.CreatePrivateKeyInfo(passwordCopy, EncryptedPrivateKeyInfo.GetInstance(der.ToArray()));
            pkcs8 = info.GetDerEncoded();
            if (DerKeyReader.InspectPrivateKey(pkcs8, "encrypted PKCS#8", out string? algorithmOid, out string? curveOid) != PrivateKeyFormat.Pkcs8
                || !KeyAlgorithms.IsSm2(algorithmOid, curveOid))
            {
                return null;
            }

            return FromDer(pkcs8, PrivateKeyFormat.Pkcs8, expectedKeySpec);
        }
        catch (Exception ex) when (ex is not (OutOfMemoryException or KeyImportValidationException))
        {
            // A key that decrypted but is not importable (wrong spec, bad scalar) is reported as such, by FromDer.
            // BouncyCastle refuses malformed or unknown structures with many exception types (SecurityUtilityException,
            // Asn1 parsing errors, InvalidCastException...): all mean "not an encrypted SM2 key this password opens".
            return null;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(passwordCopy.AsSpan()));
            if (pkcs8 is not null)
            {
                CryptographicOperations.ZeroMemory(pkcs8);
            }
        }
    }

    private static KeyMaterial Normalize(ReadOnlySpan<byte> scalar, ReadOnlySpan<byte> publicPoint)
    {
        ReadOnlySpan<byte> trimmed = scalar.TrimStart((byte)0);
        if (trimmed.Length > ScalarLength)
        {
            throw new KeyImportValidationException($"The SM2 private scalar is {trimmed.Length} bytes; an SM2 private key is at most {ScalarLength}. The key is corrupted or not SM2. " + HowToMakeSm2);
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

        byte[] buffer = GC.AllocateUninitializedArray<byte>(Pkcs8Length, pinned: true);
        Span<byte> output = buffer;
        Pkcs8Header.CopyTo(output);
        Span<byte> scalarField = output.Slice(Pkcs8Header.Length, ScalarLength);
        scalarField.Clear();
        trimmed.CopyTo(scalarField[(ScalarLength - trimmed.Length)..]);
        int position = Pkcs8Header.Length + ScalarLength;
        Pkcs8PublicKeyPrefix.CopyTo(output[position..]);
        position += Pkcs8PublicKeyPrefix.Length;
        // Public values: fixed-length (32-byte) field encodings.
        q.AffineXCoord.GetEncoded().CopyTo(output.Slice(position, ScalarLength));
        q.AffineYCoord.GetEncoded().CopyTo(output.Slice(position + ScalarLength, ScalarLength));
        return new KeyMaterial(KeySpec.Sm2, true, buffer, Pkcs8Length);
    }
}
