using System.Security.Cryptography;

namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>
/// The service side of key import: RSA-OAEP decryption with the wrapping private key, RFC 5649
/// unwrap of a private key under the temporary key, and the PKCS#8 checks against the key spec.
/// Every failure is a plain false, with no detail: padding errors must not be distinguishable
/// (Manger's attack).
/// </summary>
/// <remarks>
/// Only the platform's cryptography (<c>RSA.Decrypt</c> with OAEP, <c>Aes.DecryptKeyWrapPadded</c>
/// for RFC 5649), and the emulator's own
/// reading of the wire names (algorithm, key spec): nothing from the SDK's wrapping code, so that
/// a defect there is not mirrored here. One dispatch per algorithm and per key spec.
/// </remarks>
internal static class ImportedMaterialUnwrapper
{
    /// <summary>RSA decryption (OAEP, or legacy PKCS#1 v1.5) of <c>encrypted_key_material</c>; false for any failure.</summary>
    /// <param name="privateKey">The wrapping private key.</param>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="algorithm">The algorithm the wrapping key was issued for (OAEP SHA-256, OAEP SHA-1 or PKCS#1 v1.5).</param>
    /// <param name="plaintext">The plaintext, owned (and to be zeroed) by the caller.</param>
    public static bool TryDecrypt(RSA privateKey, ReadOnlySpan<byte> ciphertext, WrappingAlgorithm algorithm, out byte[]? plaintext)
    {
        plaintext = null;
        RSAEncryptionPadding? padding = algorithm.ToString() switch
        {
            "RSAES_OAEP_SHA_256" => RSAEncryptionPadding.OaepSHA256,
            "RSAES_OAEP_SHA_1" => RSAEncryptionPadding.OaepSHA1,
            "RSAES_PKCS1_V1_5" => RSAEncryptionPadding.Pkcs1,
            _ => null,
        };
        if (padding is null || ciphertext.Length != privateKey.KeySize / 8)
        {
            return false;
        }

        try
        {
            plaintext = privateKey.Decrypt(ciphertext.ToArray(), padding);
            return true;
        }
        catch (CryptographicException)
        {
            // Deliberately indistinguishable from every other failure.
            return false;
        }
    }

    /// <summary>
    /// RFC 5649 unwrap (AES key wrap with padding: alternative IV A65959A6 and the 32-bit length) of
    /// <c>encrypted_privatekey</c> with the platform's <c>Aes.DecryptKeyWrapPadded</c>; false for
    /// any failure (wrong key, altered bytes, bad length or padding).
    /// </summary>
    public static bool TryUnwrapPrivateKey(ReadOnlySpan<byte> temporaryKey, ReadOnlySpan<byte> wrapped, out byte[]? pkcs8)
    {
        pkcs8 = null;
        if (temporaryKey.Length is not (16 or 24 or 32) || wrapped.Length < 16 || wrapped.Length % 8 != 0)
        {
            return false;
        }

        byte[] buffer = new byte[wrapped.Length - 8];
        try
        {
            using Aes aes = Aes.Create();
            aes.SetKey(temporaryKey);
            int written = aes.DecryptKeyWrapPadded(wrapped, buffer);
            pkcs8 = buffer.AsSpan(0, written).ToArray();
            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>
    /// Whether <paramref name="pkcs8"/> is an unencrypted PKCS#8 private key of the kind
    /// <paramref name="keySpec"/> names (RSA modulus size, EC curve), internally consistent
    /// (it signs, and its own public key verifies), with no trailing bytes.
    /// </summary>
    public static bool IsPrivateKeyFor(ReadOnlySpan<byte> pkcs8, KeySpec keySpec)
    {
        try
        {
            return keySpec.ToString() switch
            {
                "RSA_2048" => IsRsaPrivateKey(pkcs8, 2048),
                "RSA_3072" => IsRsaPrivateKey(pkcs8, 3072),
                "RSA_4096" => IsRsaPrivateKey(pkcs8, 4096),
                "EC_P256" => IsEcPrivateKey(pkcs8, ECCurve.NamedCurves.nistP256),
                "EC_P384" => IsEcPrivateKey(pkcs8, ECCurve.NamedCurves.nistP384),
                _ => false,
            };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static bool IsRsaPrivateKey(ReadOnlySpan<byte> pkcs8, int bits)
    {
        using var rsa = RSA.Create();
        rsa.ImportPkcs8PrivateKey(pkcs8, out int read);
        return read == pkcs8.Length && rsa.KeySize == bits && SignsAndVerifies(rsa);
    }

    private static bool IsEcPrivateKey(ReadOnlySpan<byte> pkcs8, ECCurve curve)
    {
        using var ecdsa = ECDsa.Create();
        ecdsa.ImportPkcs8PrivateKey(pkcs8, out int ecRead);
        ECParameters parameters = ecdsa.ExportParameters(includePrivateParameters: false);
        return ecRead == pkcs8.Length
            && parameters.Curve.IsNamed
            && parameters.Curve.Oid.Value == curve.Oid.Value
            && SignsAndVerifies(ecdsa);
    }

    private static bool SignsAndVerifies(RSA rsa)
    {
        byte[] data = RandomNumberGenerator.GetBytes(32);
        byte[] signature = rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
        return rsa.VerifyData(data, signature, HashAlgorithmName.SHA256, RSASignaturePadding.Pss);
    }

    private static bool SignsAndVerifies(ECDsa ecdsa)
    {
        byte[] data = RandomNumberGenerator.GetBytes(32);
        byte[] signature = ecdsa.SignData(data, HashAlgorithmName.SHA256);
        return ecdsa.VerifyData(data, signature, HashAlgorithmName.SHA256);
    }
}
