using System.Formats.Asn1;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// Turns a private key in any form <see cref="KeyMaterial"/> accepts (PEM, PKCS#8, encrypted PKCS#8, PKCS#1, SEC1,
/// <see cref="RSA"/> and <see cref="ECDsa"/> objects) into checked material holding the PKCS#8 DER that
/// <c>openssl pkcs8 -topk8 -nocrypt -outform DER</c> writes. SM2 keys go on to <see cref="Sm2Pkcs8Normalizer"/>.
/// </summary>
/// <remarks>
/// Every intermediate copy of the key is held in a pinned buffer and zeroed before a method returns;
/// messages never contain key bytes or passwords.
/// </remarks>
internal static class Pkcs8Normalizer
{
    private const string HowToMakeRsa = "Generate one with 'openssl genrsa -out key.pem 4096' (or 2048, 3072).";
    private const string HowToMakeEc = "Generate one with 'openssl ecparam -name prime256v1 -genkey -noout -out key.pem' (or -name secp384r1).";

    /// <summary>A private key from PEM or DER bytes, detected from the content; see <see cref="KeyMaterial.FromPrivateKey"/>.</summary>
    public static KeyMaterial FromPemOrDer(ReadOnlySpan<byte> pemOrDer, ReadOnlySpan<char> password, KeySpec? expectedKeySpec)
    {
        if (pemOrDer.IsEmpty)
        {
            throw new KeyImportValidationException("The private key is empty. Pass the PEM or DER file of the private key to import.");
        }

        if (pemOrDer[0] == 0x30)
        {
            return FromDer(pemOrDer, password, expectedKeySpec, expectedFormat: null, source: "DER");
        }

        if (!KeyFileText.TryGetText(pemOrDer, out ReadOnlySpan<byte> text))
        {
            throw new KeyImportValidationException(
                "The private key is neither DER (which starts with byte 0x30) nor PEM text (it holds binary bytes). Pass a PEM or DER private key file.");
        }

        char[] chars = GC.AllocateUninitializedArray<char>(text.Length, pinned: true);
        try
        {
            for (int i = 0; i < text.Length; i++)
            {
                chars[i] = (char)text[i];
            }

            return FromPem(chars, password, expectedKeySpec);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(chars.AsSpan()));
        }
    }

    /// <summary>A private key from PEM text; see <see cref="KeyMaterial.FromPrivateKeyPem"/>.</summary>
    public static KeyMaterial FromPem(ReadOnlySpan<char> pem, ReadOnlySpan<char> password, KeySpec? expectedKeySpec)
    {
        (string label, Range base64Range) = PemReader.FindPrivateKeyBlock(pem);
        PrivateKeyFormat format = PemReader.PrivateKeyFormatOf(label);
        ReadOnlySpan<char> base64 = pem[base64Range];
        byte[] der = GC.AllocateUninitializedArray<byte>((base64.Length / 4 * 3) + 3, pinned: true);
        try
        {
            if (!Convert.TryFromBase64Chars(base64, der, out int written) || written == 0)
            {
                throw new KeyImportValidationException($"The '{label}' PEM block has invalid or empty Base64 content.");
            }

            return FromDer(der.AsSpan(0, written), password, expectedKeySpec, format, source: $"'{label}' PEM");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>A private key from an <see cref="RSA"/> object the caller keeps; checked and exported as PKCS#8.</summary>
    public static KeyMaterial FromRsa(RSA rsa, KeySpec? expectedKeySpec)
    {
        int bits = rsa.KeySize;
        KeySpec spec = KeyAlgorithms.RsaSpecOf(bits)
            ?? throw new KeyImportValidationException($"RSA-{bits} keys cannot be imported; KMS accepts RSA_2048, RSA_3072 and RSA_4096. " + HowToMakeRsa);
        ThrowIfUnexpected(spec, expectedKeySpec);

        // Proves the private half matches the public half before anything is sent. On Linux the platform's
        // import (OpenSSL 3) has already refused a key whose numbers are inconsistent (KeyMaterialRsaCheckTests
        // alter each of them in turn), so the costly private-key operation is spent only elsewhere.
        if (!OperatingSystem.IsLinux())
        {
            ProveRsaPairwiseConsistency(rsa);
        }

        int capacity = ((bits / 8) * 5) + 256;
        return Export(spec, capacity, rsa, static (key, destination) => (key.TryExportPkcs8PrivateKey(destination, out int written), written));
    }

    /// <summary>A private key from an <see cref="ECDsa"/> object the caller keeps; checked and exported as PKCS#8.</summary>
    /// <param name="ecdsa">The key.</param>
    /// <param name="curveOidFromFile">The curve the file named, for a platform that does not report it; null for objects.</param>
    /// <param name="expectedKeySpec">When set, the key must be of this spec.</param>
    public static KeyMaterial FromECDsa(ECDsa ecdsa, string? curveOidFromFile, KeySpec? expectedKeySpec)
    {
        ECCurve curve;
        try
        {
            curve = ecdsa.ExportParameters(false).Curve;
        }
        catch (CryptographicException ex)
        {
            throw new KeyImportValidationException("The EC key's parameters could not be read; its curve may be unsupported. " + HowToMakeEc, ex);
        }

        if (!curve.IsNamed)
        {
            ThrowIfCurveNotImportable(null, explicitParameters: true);
        }

        string? resolvedCurveOid = KeyAlgorithms.CurveOidOf(curve.Oid) ?? curveOidFromFile;
        if (resolvedCurveOid == KeyAlgorithms.Sm2CurveOid)
        {
            return Sm2Pkcs8Normalizer.FromPlatform(ecdsa, expectedKeySpec);
        }

        KeySpec spec = CurveToSpec(resolvedCurveOid);
        ThrowIfUnexpected(spec, expectedKeySpec);

        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData("KmsImport.Sdk pairwise consistency"u8, hash);
        try
        {
            byte[] signature = ecdsa.SignHash(hash);
            if (!ecdsa.VerifyHash(hash, signature))
            {
                throw new KeyImportValidationException("The EC private key is inconsistent: its private scalar does not match its public point. Re-export the key from its source.");
            }
        }
        catch (CryptographicException ex)
        {
            throw new KeyImportValidationException("The EC key cannot sign: it holds no private part or its private part is corrupted. Pass the private key.", ex);
        }

        return ExportPkcs8(spec, ecdsa);
    }

    /// <summary>The platform's PKCS#8 export of <paramref name="ecdsa"/> as material of <paramref name="spec"/>, unchecked.</summary>
    internal static KeyMaterial ExportPkcs8(KeySpec spec, ECDsa ecdsa) =>
        Export(spec, 512, ecdsa, static (key, destination) => (key.TryExportPkcs8PrivateKey(destination, out int written), written));

    /// <summary>Refuses a key of another spec than the KMS key's.</summary>
    internal static void ThrowIfUnexpected(KeySpec actual, KeySpec? expected)
    {
        if (expected is { } wanted && wanted != actual)
        {
            throw new KeyImportValidationException(
                $"The private key is {actual} but the KMS key expects {wanted}. Pass a {wanted} private key, or create the KMS key with key spec {actual}.");
        }
    }

    private static KeyMaterial FromDer(ReadOnlySpan<byte> der, ReadOnlySpan<char> password, KeySpec? expectedKeySpec, PrivateKeyFormat? expectedFormat, string source)
    {
        PrivateKeyFormat format;
        string? algorithmOid = null;
        string? curveOid = null;
        try
        {
            format = DerKeyReader.InspectPrivateKey(der, source, out algorithmOid, out curveOid);
        }
        catch (AsnContentException ex)
        {
            throw new KeyImportValidationException(
                $"The private key {source} is malformed or truncated: it is not a valid PKCS#8, PKCS#1 or SEC1 structure. Re-export it, e.g. 'openssl pkcs8 -topk8 -nocrypt -in key.pem -outform DER -out key.der'.", ex);
        }

        if (expectedFormat is { } labelled && labelled != format)
        {
            throw new KeyImportValidationException(
                $"The {source} block holds {DerKeyReader.Describe(format)} data, which does not match its label; the file was edited. Re-export the key with openssl.");
        }

        try
        {
            switch (format)
            {
                case PrivateKeyFormat.Pkcs1:
                    using (RSA rsa = RSA.Create())
                    {
                        rsa.ImportRSAPrivateKey(der, out _);
                        return FromRsa(rsa, expectedKeySpec);
                    }

                case PrivateKeyFormat.Sec1 when curveOid == KeyAlgorithms.Sm2CurveOid:
                case PrivateKeyFormat.Pkcs8 when KeyAlgorithms.IsSm2(algorithmOid, curveOid):
                    return Sm2Pkcs8Normalizer.FromDer(der, format, expectedKeySpec);

                case PrivateKeyFormat.Sec1:
                    ThrowIfCurveNotImportable(curveOid, explicitParameters: curveOid is null);
                    using (ECDsa ecdsa = ECDsa.Create())
                    {
                        ecdsa.ImportECPrivateKey(der, out _);
                        return FromECDsa(ecdsa, curveOid, expectedKeySpec);
                    }

                case PrivateKeyFormat.Pkcs8 when algorithmOid == KeyAlgorithms.RsaEncryptionOid:
                    using (RSA rsa = RSA.Create())
                    {
                        rsa.ImportPkcs8PrivateKey(der, out _);
                        return FromRsa(rsa, expectedKeySpec);
                    }

                case PrivateKeyFormat.Pkcs8 when algorithmOid == KeyAlgorithms.EcPublicKeyOid:
                    ThrowIfCurveNotImportable(curveOid, explicitParameters: curveOid is null);
                    using (ECDsa ecdsa = ECDsa.Create())
                    {
                        ecdsa.ImportPkcs8PrivateKey(der, out _);
                        return FromECDsa(ecdsa, curveOid, expectedKeySpec);
                    }

                case PrivateKeyFormat.Pkcs8:
                    throw new KeyImportValidationException(
                        $"The private key is {KeyAlgorithms.DescribeAlgorithm(algorithmOid)}, which KMS cannot import; use an RSA (2048, 3072, 4096 bits) or EC (P-256, P-384) key.");

                default:
                    return FromEncryptedPkcs8(der, password, expectedKeySpec);
            }
        }
        catch (CryptographicException ex)
        {
            throw new KeyImportValidationException(
                $"The private key {source} could not be read: its {DerKeyReader.Describe(format)} structure is corrupted or its numbers are inconsistent. Re-export the key with openssl.", ex);
        }
    }

    private static KeyMaterial FromEncryptedPkcs8(ReadOnlySpan<byte> der, ReadOnlySpan<char> password, KeySpec? expectedKeySpec)
    {
        // An empty password is a real one ('openssl pkcs8 -topk8 -passout pass:' writes such keys): try it,
        // and ask for the password only when it does not decrypt.
        bool noPassword = password.IsEmpty;

        // The algorithm is inside the ciphertext, so try RSA, then EC. Both importers decrypt with the same password.
        CryptographicException rsaError;
        RSA rsa = RSA.Create();
        try
        {
            rsa.ImportEncryptedPkcs8PrivateKey(password, der, out _);
            return FromRsa(rsa, expectedKeySpec);
        }
        catch (CryptographicException ex)
        {
            rsaError = ex;
        }
        finally
        {
            rsa.Dispose();
        }

        using ECDsa ecdsa = ECDsa.Create();
        try
        {
            ecdsa.ImportEncryptedPkcs8PrivateKey(password, der, out _);
        }
        catch (CryptographicException)
        {
            // An SM2 key the platform cannot open (it may open with the empty password too): its own
            // errors (wrong spec, bad scalar) come through as they are.
            if (Sm2Pkcs8Normalizer.TryFromEncrypted(der, password, expectedKeySpec) is { } sm2)
            {
                return sm2;
            }

            if (noPassword)
            {
                throw new KeyImportValidationException("The private key is encrypted (ENCRYPTED PRIVATE KEY); pass its password (the empty password does not decrypt it).", rsaError);
            }

            throw new KeyImportValidationException(
                "The encrypted private key could not be decrypted: the password is wrong, or the file is corrupted or holds a key other than RSA or EC. Check the password ('openssl pkcs8 -in key.pem -nocrypt' tells which).",
                rsaError);
        }

        return FromECDsa(ecdsa, curveOidFromFile: null, expectedKeySpec);
    }

    private static void ProveRsaPairwiseConsistency(RSA rsa)
    {
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData("KmsImport.Sdk pairwise consistency"u8, hash);
        try
        {
            byte[] signature = rsa.SignHash(hash, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
            if (!rsa.VerifyHash(hash, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1))
            {
                throw new KeyImportValidationException("The RSA private key is inconsistent: its private and public parts do not belong together. Re-export the key from its source.");
            }
        }
        catch (CryptographicException ex)
        {
            throw new KeyImportValidationException("The RSA key cannot sign: it holds no private part or its private part is corrupted. Pass the private key.", ex);
        }
    }

    private static void ThrowIfCurveNotImportable(string? curveOid, bool explicitParameters)
    {
        if (explicitParameters)
        {
            throw new KeyImportValidationException(
                "The EC private key uses explicit curve parameters instead of a named curve; re-encode it with 'openssl ec -in key.pem -param_enc named_curve -out named.pem'.");
        }

        _ = CurveToSpec(curveOid);
    }

    private static KeySpec CurveToSpec(string? curveOid) =>
        KeyAlgorithms.EcSpecOf(curveOid)
        ?? throw new KeyImportValidationException($"EC keys on {KeyAlgorithms.DescribeCurve(curveOid)} cannot be imported; KMS accepts EC_P256 and EC_P384. " + HowToMakeEc);

    // Exports into a pinned buffer, doubling it until the key fits; a buffer not handed over is zeroed.
    private static KeyMaterial Export<TKey>(KeySpec spec, int capacity, TKey key, Func<TKey, Span<byte>, (bool Success, int Written)> export)
    {
        while (true)
        {
            byte[] buffer = GC.AllocateUninitializedArray<byte>(capacity, pinned: true);
            bool owned = false;
            try
            {
                (bool success, int written) = export(key, buffer);
                if (success)
                {
                    owned = true;
                    return new KeyMaterial(spec, true, buffer, written);
                }
            }
            catch (CryptographicException ex)
            {
                throw new KeyImportValidationException("The key's private part cannot be exported; it may hold only a public key or be non-exportable (hardware-backed). Pass an exportable private key.", ex);
            }
            finally
            {
                if (!owned)
                {
                    CryptographicOperations.ZeroMemory(buffer);
                }
            }

            capacity *= 2;
        }
    }
}
