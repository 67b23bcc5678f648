using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>
/// The service side of key import: RSA-OAEP decryption with the wrapping private key, RFC 5649
/// unwrap of a private key under the temporary key, and the PKCS#8 checks against the key spec.
/// Every failure is a plain false, with no detail: padding errors must not be distinguishable
/// (Manger's attack).
/// </summary>
internal static class ImportedMaterialUnwrapper
{
    /// <summary>RSA-OAEP decryption of <c>encrypted_key_material</c>; false for any failure.</summary>
    /// <param name="privateKey">The wrapping private key.</param>
    /// <param name="ciphertext">The ciphertext.</param>
    /// <param name="algorithm">The algorithm the wrapping key was issued for (OAEP SHA-256 or SHA-1).</param>
    /// <param name="plaintext">The plaintext, owned (and to be zeroed) by the caller.</param>
    public static bool TryDecrypt(RSA privateKey, ReadOnlySpan<byte> ciphertext, WrappingAlgorithm algorithm, out byte[]? plaintext)
    {
        plaintext = null;
        if (!algorithm.IsSupported || ciphertext.Length != privateKey.KeySize / 8)
        {
            return false;
        }

        try
        {
            plaintext = privateKey.Decrypt(ciphertext.ToArray(), algorithm.Padding);
            return true;
        }
        catch (CryptographicException)
        {
            // Deliberately indistinguishable from every other failure.
            return false;
        }
    }

    /// <summary>RFC 5649 unwrap (alternative IV A65959A6) of <c>encrypted_privatekey</c>; false for any failure.</summary>
    public static bool TryUnwrapPrivateKey(ReadOnlySpan<byte> temporaryKey, ReadOnlySpan<byte> wrapped, out byte[]? pkcs8)
    {
        pkcs8 = null;
        if (wrapped.Length < 16 || wrapped.Length % 8 != 0)
        {
            return false;
        }

        try
        {
            pkcs8 = AesKeyWrapPad.Unwrap(temporaryKey, wrapped);
            return true;
        }
        catch (CryptographicException)
        {
            return false;
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
            if (keySpec.RsaKeySizeInBits is int bits)
            {
                using var rsa = RSA.Create();
                rsa.ImportPkcs8PrivateKey(pkcs8, out int read);
                return read == pkcs8.Length && rsa.KeySize == bits && SignsAndVerifies(rsa);
            }

            ECCurve curve = keySpec == KeySpec.EcP256 ? ECCurve.NamedCurves.nistP256 :
                keySpec == KeySpec.EcP384 ? ECCurve.NamedCurves.nistP384 :
                default;
            if (curve.Oid is null)
            {
                return false;
            }

            using var ecdsa = ECDsa.Create();
            ecdsa.ImportPkcs8PrivateKey(pkcs8, out int ecRead);
            ECParameters parameters = ecdsa.ExportParameters(includePrivateParameters: false);
            return ecRead == pkcs8.Length
                && parameters.Curve.IsNamed
                && parameters.Curve.Oid.Value == curve.Oid.Value
                && SignsAndVerifies(ecdsa);
        }
        catch (CryptographicException)
        {
            return false;
        }
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
