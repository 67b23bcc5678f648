using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// The service's wrapping public key (RSA, or SM2 for <c>SM2_ENCRYPT</c>), parsed once and reusable across many wraps (thread-safe).
/// Loads the forms users have: SPKI DER (<c>PublicKey.bin</c>, <c>wrappingKey_{keyId}</c>), Base64
/// text (the API's <c>public_key</c>, <c>PublicKey.b64</c>) or PEM (<c>PUBLIC KEY</c> or <c>RSA PUBLIC KEY</c>).
/// </summary>
/// <remarks>
/// Only RSA keys of 2048 to 16384 bits with an odd public exponent of at least 3, and SM2 keys (id-ecPublicKey
/// on the curve sm2p256v1, a valid point) are accepted: the service issues RSA wrapping keys, and SM2 keys
/// when asked for <c>SM2_ENCRYPT</c> in Huawei's Chinese regions; anything else would either fail at import or weaken the wrap.
/// </remarks>
public sealed class WrappingPublicKey
{
    /// <summary>The smallest modulus accepted, in bits.</summary>
    public const int MinimumKeySizeInBits = 2048;

    /// <summary>The largest modulus accepted, in bits.</summary>
    public const int MaximumKeySizeInBits = 16384;

    /// <summary>Where the wrapping key comes from, the hint that ends the loaders' messages.</summary>
    internal const string HowToGetKey =
        "Pass the wrapping key returned by get-parameters-for-import (its public_key, Base64) or the wrappingKey_{keyId} file downloaded from the console.";

    // Only bytes live here: each wrap imports its own short-lived RSA and disposes it, so no native
    // key handle outlives a call (the type needs no Dispose and can sit in caches and results).
    private readonly byte[] _subjectPublicKeyInfo;

    private WrappingPublicKey(int keySizeInBits, byte[] subjectPublicKeyInfo)
    {
        KeySizeInBits = keySizeInBits;
        _subjectPublicKeyInfo = subjectPublicKeyInfo;
    }

    private WrappingPublicKey(ECPublicKeyParameters sm2, byte[] subjectPublicKeyInfo)
    {
        Sm2 = sm2;
        KeySizeInBits = KeyAlgorithms.Sm2KeySizeInBits;
        _subjectPublicKeyInfo = subjectPublicKeyInfo;
    }

    /// <summary>The key size in bits: the RSA modulus size, or 256 for an SM2 key.</summary>
    public int KeySizeInBits { get; }

    /// <summary>Whether this is an SM2 key (for <c>SM2_ENCRYPT</c>) rather than an RSA key.</summary>
    public bool IsSm2 => Sm2 is not null;

    /// <summary>The key as X.509 SubjectPublicKeyInfo DER.</summary>
    public ReadOnlyMemory<byte> SubjectPublicKeyInfo => _subjectPublicKeyInfo;

    /// <summary>The parsed SM2 key (immutable); null for an RSA key.</summary>
    internal ECPublicKeyParameters? Sm2 { get; }

    /// <summary>A new RSA object for one wrap; the caller disposes it.</summary>
    /// <exception cref="InvalidOperationException">The key is SM2.</exception>
    internal RSA CreateRsa()
    {
        if (IsSm2)
        {
            throw new InvalidOperationException("The wrapping key is SM2, not RSA.");
        }

        var rsa = RSA.Create();
        try
        {
            rsa.ImportSubjectPublicKeyInfo(_subjectPublicKeyInfo, out _);
            return rsa;
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    /// <summary>Loads a key from DER, Base64 text or PEM, detected from the content.</summary>
    /// <param name="data">The file or response content: SPKI DER, Base64 of it (surrounding whitespace allowed) or PEM.</param>
    /// <returns>The key.</returns>
    /// <exception cref="KeyImportValidationException">The data is empty, malformed, or not an RSA public key of at least 2048 bits; the message says which.</exception>
    public static WrappingPublicKey Load(ReadOnlySpan<byte> data)
    {
        if (data.IsEmpty)
        {
            throw new KeyImportValidationException("The wrapping public key is empty. " + HowToGetKey);
        }

        // DER always starts with a SEQUENCE tag; Base64 of an SPKI starts with 'M' and PEM with '-'.
        if (data[0] == 0x30)
        {
            return FromSubjectPublicKeyInfo(data);
        }

        if (!KeyFileText.TryGetText(data, out ReadOnlySpan<byte> text))
        {
            throw new KeyImportValidationException(
                "The wrapping public key is neither DER (which starts with byte 0x30) nor Base64 or PEM text (it holds binary bytes). " + HowToGetKey);
        }

        // Refused before it becomes an unzeroable string: a private key pasted in the wrong place.
        if (text.IndexOf("PRIVATE KEY-----"u8) >= 0)
        {
            throw new KeyImportValidationException("The wrapping public key PEM holds a private key. The wrapping key is the service's public key; never pass a private key here. " + HowToGetKey);
        }

        string chars = Encoding.ASCII.GetString(text);
        return chars.Contains("-----BEGIN", StringComparison.Ordinal) ? FromPem(chars) : FromBase64(chars);
    }

    /// <summary>Loads a key from the Base64 of its SPKI DER (the API's <c>public_key</c>, <c>PublicKey.b64</c>).</summary>
    /// <param name="base64">The Base64 text; whitespace and line breaks are ignored.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="base64"/> is null.</exception>
    /// <exception cref="KeyImportValidationException">The text is not Base64 of an RSA public key of at least 2048 bits.</exception>
    public static WrappingPublicKey FromBase64(string base64)
    {
        ArgumentNullException.ThrowIfNull(base64);
        ReadOnlySpan<char> trimmed = base64.AsSpan().Trim();
        if (trimmed.StartsWith('\uFEFF'))
        {
            trimmed = trimmed[1..].TrimStart();
        }

        if (trimmed.IsEmpty)
        {
            throw new KeyImportValidationException("The wrapping public key is empty. " + HowToGetKey);
        }

        if (trimmed[0] == '{')
        {
            throw new KeyImportValidationException("The wrapping public key looks like a JSON document; pass only the value of its public_key field.");
        }

        if (trimmed.Length >= 2 && trimmed[0] == '"' && trimmed[^1] == '"')
        {
            throw new KeyImportValidationException("The wrapping public key is a quoted string; remove the surrounding quotes.");
        }

        byte[] der = new byte[(trimmed.Length / 4 * 3) + 3];
        try
        {
            if (!Convert.TryFromBase64Chars(trimmed, der, out int written))
            {
                int bad = KeyFileText.IndexOfNonBase64(trimmed);
                string where = bad >= 0 ? $" (character '{trimmed[bad]}' at position {bad})" : " (its length or padding is wrong, it may be truncated)";
                throw new KeyImportValidationException("The wrapping public key is not valid Base64" + where + ". " + HowToGetKey);
            }

            if (written == 0)
            {
                throw new KeyImportValidationException("The wrapping public key is empty. " + HowToGetKey);
            }

            return FromSubjectPublicKeyInfo(der.AsSpan(0, written));
        }
        finally
        {
            // Zeroed: the Base64 may have been a private key given in the wrong place. The key keeps its own SPKI copy.
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>Loads a key from PEM: <c>-----BEGIN PUBLIC KEY-----</c> (SPKI) or <c>-----BEGIN RSA PUBLIC KEY-----</c> (PKCS#1).</summary>
    /// <param name="pem">The PEM text; only whitespace may surround the single block.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="pem"/> is null.</exception>
    /// <exception cref="KeyImportValidationException">The text is not one PEM public key block holding an RSA key of at least 2048 bits.</exception>
    public static WrappingPublicKey FromPem(string pem)
    {
        ArgumentNullException.ThrowIfNull(pem);
        ReadOnlySpan<char> text = pem.AsSpan();
        if (text.IsWhiteSpace())
        {
            throw new KeyImportValidationException("The wrapping public key is empty. " + HowToGetKey);
        }

        // A private key's label is refused before decoding: its bytes never reach a buffer of ours.
        PemFields fields = PemReader.FindWrappingPublicKeyBlock(text, out bool isSpki);
        byte[] der = new byte[fields.DecodedDataLength];
        if (!Convert.TryFromBase64Chars(text[fields.Base64Data], der, out int written) || written != der.Length)
        {
            throw new KeyImportValidationException("The wrapping public key PEM has invalid Base64 content.");
        }

        return isSpki ? FromSubjectPublicKeyInfo(der) : ImportRsa(der, isPkcs1: true);
    }

    /// <summary>Loads a key from SubjectPublicKeyInfo DER (<c>PublicKey.bin</c>, <c>wrappingKey_{keyId}</c>).</summary>
    /// <param name="der">The DER bytes, nothing after them.</param>
    /// <returns>The key.</returns>
    /// <exception cref="KeyImportValidationException">The bytes are not an RSA public key of at least 2048 bits.</exception>
    public static WrappingPublicKey FromSubjectPublicKeyInfo(ReadOnlySpan<byte> der)
    {
        if (der.IsEmpty)
        {
            throw new KeyImportValidationException("The wrapping public key is empty. " + HowToGetKey);
        }

        if (der[0] != 0x30)
        {
            throw new KeyImportValidationException(
                "The wrapping public key is not a SubjectPublicKeyInfo DER structure (which starts with byte 0x30). For Base64 or PEM text use WrappingPublicKey.Load, FromBase64 or FromPem.");
        }

        string algorithmOid;
        try
        {
            // Read in place, never copied: the bytes may be a private key given in the wrong place.
            const AsnEncodingRules Rules = AsnEncodingRules.DER;
            AsnDecoder.ReadSequence(der, Rules, out int spkiOffset, out int spkiLength, out int consumed);
            if (consumed != der.Length)
            {
                throw new KeyImportValidationException(
                    $"The wrapping public key has {der.Length - consumed} unexpected bytes after its DER structure; the file may have been appended to or be another format. " + HowToGetKey);
            }

            ReadOnlySpan<byte> spki = der.Slice(spkiOffset, spkiLength);
            int algorithmConsumed = DerKeyReader.ReadAlgorithmIdentifier(spki, Rules, out algorithmOid, out string? curve);
            bool isSm2 = algorithmOid == KeyAlgorithms.EcPublicKeyOid && curve == KeyAlgorithms.Sm2CurveOid;
            if (algorithmOid != KeyAlgorithms.RsaEncryptionOid && !isSm2)
            {
                throw new KeyImportValidationException(
                    $"The wrapping public key is {DescribeAlgorithm(algorithmOid, curve)}, not RSA (or SM2). KMS wraps key material with RSA-OAEP (or SM2 in Huawei's Chinese regions); request import parameters with wrapping algorithm RSAES_OAEP_SHA_256.");
            }

            ReadOnlySpan<byte> subjectPublicKey = spki[algorithmConsumed..];
            if (!AsnDecoder.TryReadPrimitiveBitString(subjectPublicKey, Rules, out int unusedBits, out ReadOnlySpan<byte> point, out int keyConsumed) || keyConsumed != subjectPublicKey.Length)
            {
                throw new AsnContentException();
            }

            if (isSm2)
            {
                return FromSm2Point(point, unusedBits, der);
            }
        }
        catch (AsnContentException ex)
        {
            throw new KeyImportValidationException(
                "The wrapping public key is not a valid SubjectPublicKeyInfo DER structure (it may be truncated, corrupted, or another format). " + HowToGetKey, ex);
        }

        return ImportRsa(der, isPkcs1: false);
    }

    /// <summary>The largest plaintext, in bytes, that <paramref name="algorithm"/> can encrypt under this key.</summary>
    /// <param name="algorithm">The wrapping algorithm.</param>
    /// <returns>RSA-OAEP: modulus bytes - 2 x hash length - 2; PKCS#1 v1.5: modulus bytes - 11; SM2: 1024 (this SDK's bound).</returns>
    /// <exception cref="KeyImportValidationException">The algorithm is refused or unknown, or does not fit this key's type; the message says why.</exception>
    public int MaxPayloadLength(WrappingAlgorithm algorithm)
    {
        ThrowIfUnsupported(algorithm);
        ThrowIfMismatched(algorithm);
        return algorithm.IsSm2 ? Sm2Encryption.MaxPlaintextLength : algorithm.MaxPayloadLength(ModulusLength);
    }

    /// <summary>The SPKI DER as Base64, the form of the API's <c>public_key</c>.</summary>
    /// <returns>The Base64 text.</returns>
    public string ToBase64() => Convert.ToBase64String(_subjectPublicKeyInfo);

    /// <summary>A description of the key (type and size only).</summary>
    public override string ToString() => $"WrappingPublicKey {{ {Describe()} }}";

    /// <summary>The key type and size: <c>RSA-2048</c>, <c>SM2</c>.</summary>
    internal string Describe() => IsSm2 ? "SM2" : $"RSA-{KeySizeInBits}";

    /// <summary>Refuses an RSA key for SM2_ENCRYPT and an SM2 key for an RSA algorithm.</summary>
    internal void ThrowIfMismatched(WrappingAlgorithm algorithm)
    {
        if (algorithm.IsSm2 && !IsSm2)
        {
            throw new KeyImportValidationException(
                $"The wrapping algorithm SM2_ENCRYPT needs an SM2 wrapping key, but this one is {Describe()}. Request import parameters with wrapping algorithm SM2_ENCRYPT (Huawei's Chinese regions) and use the public key they return, or wrap with RSAES_OAEP_SHA_256.");
        }

        if (!algorithm.IsSm2 && IsSm2)
        {
            throw new KeyImportValidationException(
                $"The wrapping key is an SM2 key, which only SM2_ENCRYPT uses, but the wrapping algorithm is {algorithm}. Wrap with SM2_ENCRYPT, or request import parameters with wrapping algorithm {algorithm} and use the RSA public key they return.");
        }
    }

    /// <summary>The modulus length in bytes, the length of every RSA-OAEP ciphertext under this key.</summary>
    internal int ModulusLength => (KeySizeInBits + 7) / 8;

    internal static void ThrowIfUnsupported(WrappingAlgorithm algorithm)
    {
        if (!algorithm.IsSupported)
        {
            throw new KeyImportValidationException(algorithm.GetRefusalReason());
        }
    }

    private static WrappingPublicKey FromSm2Point(ReadOnlySpan<byte> point, int unusedBits, ReadOnlySpan<byte> der)
    {
        if (unusedBits != 0 || point.Length != 65 || point[0] != 0x04)
        {
            throw new KeyImportValidationException(
                $"The SM2 wrapping public key is not an uncompressed point (65 bytes starting with 0x04); got {point.Length} bytes. " + HowToGetKey);
        }

        try
        {
            return new WrappingPublicKey(Sm2Encryption.DecodePublicKey(point), der.ToArray());
        }
        catch (ArgumentException ex)
        {
            throw new KeyImportValidationException("The SM2 wrapping public key is not a valid point on the SM2 curve; the key is corrupted. " + HowToGetKey, ex);
        }
    }

    // An RSA public key (SubjectPublicKeyInfo, or PKCS#1 from an 'RSA PUBLIC KEY' PEM) through the platform's import, validated.
    private static WrappingPublicKey ImportRsa(ReadOnlySpan<byte> der, bool isPkcs1)
    {
        RSA rsa = RSA.Create();
        try
        {
            if (!isPkcs1)
            {
                rsa.ImportSubjectPublicKeyInfo(der, out _);
            }
            else
            {
                rsa.ImportRSAPublicKey(der, out int read);
                if (read != der.Length)
                {
                    throw new KeyImportValidationException("The wrapping public key PEM has unexpected bytes after its RSA public key.");
                }
            }

            return Validate(rsa);
        }
        catch (CryptographicException ex)
        {
            rsa.Dispose();
            throw new KeyImportValidationException(isPkcs1
                ? "The 'RSA PUBLIC KEY' PEM does not hold a valid PKCS#1 RSA public key (it may be truncated or corrupted). " + HowToGetKey
                : "The wrapping public key is not a valid RSA public key (its modulus or exponent is malformed). " + HowToGetKey, ex);
        }
        catch
        {
            rsa.Dispose();
            throw;
        }
    }

    // Takes ownership of rsa: keeps its bytes and disposes it, or disposes it and throws.
    private static WrappingPublicKey Validate(RSA rsa)
    {
        try
        {
            int bits = rsa.KeySize;
            if (bits < MinimumKeySizeInBits)
            {
                throw new KeyImportValidationException(
                    $"The wrapping public key is RSA-{bits}; at least RSA-{MinimumKeySizeInBits} is required. Request new import parameters from KMS; never generate the wrapping key yourself.");
            }

            if (bits > MaximumKeySizeInBits)
            {
                throw new KeyImportValidationException($"The wrapping public key is RSA-{bits}; at most RSA-{MaximumKeySizeInBits} is supported. " + HowToGetKey);
            }

            RSAParameters parameters = rsa.ExportParameters(false);
            ReadOnlySpan<byte> exponent = parameters.Exponent.AsSpan().TrimStart((byte)0);
            bool exponentIsSafe = !exponent.IsEmpty && (exponent[^1] & 1) == 1 && !(exponent.Length == 1 && exponent[0] < 3);
            if (!exponentIsSafe)
            {
                throw new KeyImportValidationException("The wrapping public key has an invalid public exponent (it must be odd and at least 3); it cannot protect key material. " + HowToGetKey);
            }

            if ((parameters.Modulus![^1] & 1) == 0)
            {
                throw new KeyImportValidationException("The wrapping public key has an even modulus, which no RSA key has; the key is corrupted. " + HowToGetKey);
            }

            return new WrappingPublicKey(bits, rsa.ExportSubjectPublicKeyInfo());
        }
        finally
        {
            rsa.Dispose();
        }
    }

    private static string DescribeAlgorithm(string oid, string? curveOid) => oid switch
    {
        KeyAlgorithms.EcPublicKeyOid => curveOid == KeyAlgorithms.Sm2CurveOid ? "an SM2 key" : $"an elliptic-curve key ({KeyAlgorithms.DescribeCurve(curveOid)})",
        KeyAlgorithms.RsassaPssOid => "an RSASSA-PSS signing-only key",
        _ => KeyAlgorithms.DescribeAlgorithm(oid),
    };
}
