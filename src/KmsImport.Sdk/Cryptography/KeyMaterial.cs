using System.Formats.Asn1;
using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// Plaintext key material ready to wrap: symmetric bytes checked against a key spec, or a private
/// key normalized to unencrypted PKCS#8 DER. Holds a private copy that <see cref="Dispose"/> zeroes.
/// </summary>
/// <remarks>
/// <para>
/// Private keys are accepted as PEM (<c>RSA PRIVATE KEY</c>, <c>PRIVATE KEY</c>, <c>ENCRYPTED PRIVATE KEY</c>
/// with a password, <c>EC PRIVATE KEY</c>, optionally preceded by <c>EC PARAMETERS</c>), as DER (PKCS#8,
/// encrypted PKCS#8, PKCS#1 or SEC1, detected), or as <see cref="RSA"/>/<see cref="ECDsa"/> objects, and are
/// normalized to the PKCS#8 DER that <c>openssl pkcs8 -topk8 -nocrypt -outform DER</c> writes (EC keys with
/// the named-curve OID and the public key). Each key is checked: RSA of 2048, 3072 or 4096 bits; EC on
/// P-256, P-384 or secp256k1; and a sign/verify round proves the private and public halves belong together.
/// </para>
/// <para>
/// SM2 keys (Huawei's Chinese regions) are read in the same forms (PKCS#8 with id-ecPublicKey and the SM2 curve,
/// encrypted PKCS#8, SEC1 labelled <c>EC PRIVATE KEY</c> or OpenSSL's <c>SM2 PRIVATE KEY</c>) on BouncyCastle, checked
/// (the scalar is in range and the stored public point, if any, matches it) and normalized to the 138-byte PKCS#8
/// that <c>openssl pkcs8 -topk8 -nocrypt -outform DER</c> writes for an SM2 key. BouncyCastle's big-integer copy of
/// the scalar during that check is outside this SDK's reach to zero.
/// </para>
/// <para>
/// Every intermediate copy of the key is held in a pinned buffer and zeroed before the loader returns;
/// error messages never contain key bytes or passwords.
/// </para>
/// <para>
/// Thread safety: an instance is immutable until disposed and may be wrapped, fingerprinted and imported
/// from several threads at once. <see cref="Dispose"/> may be called at any time, also while another thread
/// uses the material: every use holds a lease, and the plaintext is zeroed when the last lease ends. A use
/// that starts after <see cref="Dispose"/> throws <see cref="ObjectDisposedException"/>; a use already under
/// way completes with the whole material, never with partly zeroed bytes.
/// </para>
/// </remarks>
public sealed partial class KeyMaterial : IDisposable
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";
    private const string P384Oid = "1.3.132.0.34";
    private const string Secp256k1Oid = "1.3.132.0.10";
    private const string Sm2CurveOid = "1.2.156.10197.1.301";

    private const string HowToMakeRsa = "Generate one with 'openssl genrsa -out key.pem 4096' (or 2048, 3072).";
    private const string HowToMakeEc = "Generate one with 'openssl ecparam -name prime256v1 -genkey -noout -out key.pem' (or -name secp384r1).";

    private readonly byte[] _buffer;
    private readonly int _length;
    private readonly Lock _gate = new();
    private int _leases;
    private bool _disposed;

    // Takes ownership of a pinned buffer whose first length bytes are the material.
    private KeyMaterial(KeySpec keySpec, bool isPrivateKey, byte[] buffer, int length)
    {
        KeySpec = keySpec;
        IsPrivateKey = isPrivateKey;
        _buffer = buffer;
        _length = length;
    }

    private enum DerFormat
    {
        Pkcs8,
        EncryptedPkcs8,
        Pkcs1,
        Sec1,
    }

    /// <summary>The key spec this material is for.</summary>
    public KeySpec KeySpec { get; }

    /// <summary>Whether this is a private key (PKCS#8) rather than symmetric material.</summary>
    public bool IsPrivateKey { get; }

    /// <summary>The length in bytes of the plaintext (symmetric bytes or PKCS#8 DER).</summary>
    public int Length => _length;

    /// <summary>The plaintext; symmetric bytes or PKCS#8 DER.</summary>
    /// <exception cref="ObjectDisposedException">The material was disposed.</exception>
    internal ReadOnlySpan<byte> Span
    {
        get
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            return _buffer.AsSpan(0, _length);
        }
    }

    /// <summary>Symmetric material for <paramref name="keySpec"/>, copied.</summary>
    /// <param name="material">The plaintext bytes (binary, as <c>openssl rand -out PlaintextKeyMaterial.bin 32</c> writes them).</param>
    /// <param name="keySpec">The spec: AES_256 (32 bytes), HMAC_256 (32), HMAC_384 (48), HMAC_512 (64) or SM4 (16).</param>
    /// <returns>The material.</returns>
    /// <exception cref="KeyImportValidationException">
    /// The spec is not an importable symmetric spec, the length does not match it, the bytes are hex text
    /// instead of binary, or they are all zero.
    /// </exception>
    public static KeyMaterial FromSymmetricKey(ReadOnlySpan<byte> material, KeySpec keySpec)
    {
        string spec = keySpec.ToString();
        if (spec.Length == 0)
        {
            throw new KeyImportValidationException("No key spec was given for the symmetric material; pass the KMS key's key_spec (AES_256, HMAC_256, HMAC_384, HMAC_512 or SM4).");
        }

        if (keySpec.IsAsymmetric)
        {
            throw new KeyImportValidationException(
                $"{spec} is an asymmetric key spec; its material is a private key, not raw bytes. Load it with KeyMaterial.FromPrivateKey.");
        }

        if (keySpec.SymmetricMaterialLength is not int expected)
        {
            throw new KeyImportValidationException(keySpec.IsSymmetric
                ? $"KMS does not document importing material for {spec}; importable symmetric specs are AES_256, HMAC_256, HMAC_384, HMAC_512 and SM4."
                : $"The key spec '{spec}' is unknown to this SDK; importable symmetric specs are AES_256, HMAC_256, HMAC_384, HMAC_512 and SM4.");
        }

        if (material.Length != expected)
        {
            string hint = LooksLikeHexOf(material, expected)
                ? $" The input looks like {expected * 2} hex characters (like the guide's 0xPlaintextKeyMaterial.bin); pass the binary bytes instead (decode with 'xxd -r -ps')."
                : $" Generate it with 'openssl rand -out PlaintextKeyMaterial.bin {expected}'.";
            throw new KeyImportValidationException($"{spec} material must be {expected} bytes ({expected * 8} bits); got {material.Length} bytes." + hint);
        }

        if (!material.ContainsAnyExcept((byte)0))
        {
            throw new KeyImportValidationException($"The {spec} material is all zero bytes, which is never a real key (an uninitialized buffer?). Use bytes from a secure random generator.");
        }

        byte[] buffer = GC.AllocateUninitializedArray<byte>(material.Length, pinned: true);
        material.CopyTo(buffer);
        return new KeyMaterial(keySpec, false, buffer, material.Length);
    }

    /// <summary>A private key from PEM or DER, detected from the content.</summary>
    /// <param name="pemOrDer">
    /// PEM text (<c>RSA PRIVATE KEY</c>, <c>PRIVATE KEY</c>, <c>ENCRYPTED PRIVATE KEY</c>, <c>EC PRIVATE KEY</c>) or DER
    /// (PKCS#8, encrypted PKCS#8, PKCS#1 or SEC1).
    /// </param>
    /// <param name="password">The password of an encrypted PKCS#8 key (empty is a valid password); ignored for unencrypted keys.</param>
    /// <param name="expectedKeySpec">When set, the key must be of this spec (the KMS key's <c>key_spec</c>).</param>
    /// <returns>The material as unencrypted PKCS#8 DER.</returns>
    /// <exception cref="KeyImportValidationException">
    /// The input is empty, malformed or truncated; it is encrypted and no or the wrong password was given; the
    /// algorithm, size or curve is not importable; or it does not match <paramref name="expectedKeySpec"/>.
    /// </exception>
    public static KeyMaterial FromPrivateKey(ReadOnlySpan<byte> pemOrDer, ReadOnlySpan<char> password = default, KeySpec? expectedKeySpec = null)
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

            return FromPrivateKeyPem(chars, password, expectedKeySpec);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(chars.AsSpan()));
        }
    }

    /// <summary>A private key from PEM text.</summary>
    /// <param name="pem">
    /// One <c>RSA PRIVATE KEY</c>, <c>PRIVATE KEY</c>, <c>ENCRYPTED PRIVATE KEY</c> or <c>EC PRIVATE KEY</c> block
    /// (an <c>EC PARAMETERS</c> block, as <c>openssl ecparam -genkey</c> writes, is allowed); only whitespace around.
    /// </param>
    /// <param name="password">The password of an <c>ENCRYPTED PRIVATE KEY</c>; ignored for unencrypted keys.</param>
    /// <param name="expectedKeySpec">When set, the key must be of this spec (the KMS key's <c>key_spec</c>).</param>
    /// <returns>The material as unencrypted PKCS#8 DER.</returns>
    /// <exception cref="KeyImportValidationException">
    /// The PEM is empty, malformed or truncated; it has the wrong label or several keys; it is encrypted and no or the
    /// wrong password was given; the key is not importable; or it does not match <paramref name="expectedKeySpec"/>.
    /// </exception>
    public static KeyMaterial FromPrivateKeyPem(ReadOnlySpan<char> pem, ReadOnlySpan<char> password = default, KeySpec? expectedKeySpec = null)
    {
        if (pem.StartsWith('\uFEFF'))
        {
            pem = pem[1..];
        }

        if (pem.IsWhiteSpace())
        {
            throw new KeyImportValidationException("The private key is empty. Pass the PEM or DER file of the private key to import.");
        }

        if (pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
        {
            throw new KeyImportValidationException(
                "The private key uses OpenSSL's legacy PEM encryption (Proc-Type: 4,ENCRYPTED), which is not supported. Convert it to encrypted PKCS#8 with 'openssl pkcs8 -topk8 -in key.pem -out key-pkcs8.pem' and pass that file with its password.");
        }

        Range keyBase64 = default;
        string? keyLabel = null;
        int keyBlocks = 0;
        int position = 0;
        while (position < pem.Length && !pem[position..].IsWhiteSpace())
        {
            ReadOnlySpan<char> rest = pem[position..];
            if (!PemEncoding.TryFind(rest, out PemFields fields))
            {
                throw new KeyImportValidationException(
                    rest.Contains("-----BEGIN", StringComparison.Ordinal) ? "The private key PEM is malformed: a '-----BEGIN' line has no matching '-----END' line or the Base64 between them is invalid (the file may be truncated or edited)."
                    : position > 0 ? "The private key PEM has text after its last '-----END' line; keep only the key block."
                    : "The private key is not PEM: no '-----BEGIN ...-----' line was found. Pass a PEM file or DER bytes.");
            }

            if (!rest[..fields.Location.Start].IsWhiteSpace())
            {
                throw new KeyImportValidationException("The private key PEM has text outside its '-----BEGIN' / '-----END' block; keep only the key block.");
            }

            ReadOnlySpan<char> label = rest[fields.Label];
            if (!label.SequenceEqual("EC PARAMETERS"))
            {
                keyBlocks++;
                keyLabel = label.ToString();
                keyBase64 = new Range(position + fields.Base64Data.Start.Value, position + fields.Base64Data.End.Value);
            }

            position += fields.Location.End.Value;
        }

        if (keyBlocks == 0)
        {
            throw new KeyImportValidationException(
                "The PEM holds only EC PARAMETERS and no private key. Generate the key with 'openssl ecparam -name prime256v1 -genkey -noout -out key.pem'.");
        }

        if (keyBlocks > 1)
        {
            throw new KeyImportValidationException($"The PEM holds {keyBlocks} blocks; pass a file with exactly one private key.");
        }

        DerFormat format = keyLabel switch
        {
            "PRIVATE KEY" => DerFormat.Pkcs8,
            "ENCRYPTED PRIVATE KEY" => DerFormat.EncryptedPkcs8,
            "RSA PRIVATE KEY" => DerFormat.Pkcs1,
            "EC PRIVATE KEY" or "SM2 PRIVATE KEY" => DerFormat.Sec1,
            "PUBLIC KEY" or "RSA PUBLIC KEY" or "EC PUBLIC KEY" => throw new KeyImportValidationException(
                $"The PEM holds a public key ('{keyLabel}'); key material must be the private key. Pass the private key file."),
            "CERTIFICATE" => throw new KeyImportValidationException(
                "The PEM holds a certificate, which contains no private key. Pass the private key file."),
            "OPENSSH PRIVATE KEY" => throw new KeyImportValidationException(
                "The PEM holds an OpenSSH private key, which is not supported. Convert it to PKCS#8 with 'ssh-keygen -p -m PKCS8 -f <key file>'."),
            _ => throw new KeyImportValidationException(
                $"The PEM label '{keyLabel}' is not a supported private key; expected PRIVATE KEY, ENCRYPTED PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY."),
        };

        ReadOnlySpan<char> base64 = pem[keyBase64];
        byte[] der = GC.AllocateUninitializedArray<byte>((base64.Length / 4 * 3) + 3, pinned: true);
        try
        {
            if (!Convert.TryFromBase64Chars(base64, der, out int written) || written == 0)
            {
                throw new KeyImportValidationException($"The '{keyLabel}' PEM block has invalid or empty Base64 content.");
            }

            return FromDer(der.AsSpan(0, written), password, expectedKeySpec, format, source: $"'{keyLabel}' PEM");
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>A private key from an <see cref="RSA"/> object, which stays owned (and undisposed) by the caller.</summary>
    /// <param name="rsa">The key; it must hold the private part.</param>
    /// <param name="expectedKeySpec">When set, the key must be of this spec.</param>
    /// <returns>The material as unencrypted PKCS#8 DER.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rsa"/> is null.</exception>
    /// <exception cref="KeyImportValidationException">The object holds no private key, its size is not 2048, 3072 or 4096 bits, or it does not match <paramref name="expectedKeySpec"/>.</exception>
    public static KeyMaterial FromRsa(RSA rsa, KeySpec? expectedKeySpec = null)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        return Normalize(rsa, expectedKeySpec);
    }

    /// <summary>A private key from an <see cref="ECDsa"/> object, which stays owned (and undisposed) by the caller.</summary>
    /// <param name="ecdsa">The key; it must hold the private part, on a named curve.</param>
    /// <param name="expectedKeySpec">When set, the key must be of this spec.</param>
    /// <returns>The material as unencrypted PKCS#8 DER.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="ecdsa"/> is null.</exception>
    /// <exception cref="KeyImportValidationException">The object holds no private key, its curve is not P-256, P-384 or secp256k1, or it does not match <paramref name="expectedKeySpec"/>.</exception>
    public static KeyMaterial FromECDsa(ECDsa ecdsa, KeySpec? expectedKeySpec = null)
    {
        ArgumentNullException.ThrowIfNull(ecdsa);
        return Normalize(ecdsa, curveOidFromFile: null, expectedKeySpec);
    }

    /// <summary>SHA-256 of the plaintext, lower-case hex: proof that a later re-import is identical.</summary>
    /// <returns>The fingerprint.</returns>
    /// <exception cref="ObjectDisposedException">The material was disposed.</exception>
    public string ComputeFingerprint()
    {
        using Lease lease = AcquireLease();
        return Convert.ToHexStringLower(SHA256.HashData(lease.Span));
    }

    /// <summary>Zeroes the plaintext copy: now, or when the uses under way on other threads end.</summary>
    public void Dispose()
    {
        lock (_gate)
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_leases == 0)
            {
                CryptographicOperations.ZeroMemory(_buffer);
            }
        }
    }

    /// <summary>
    /// Starts a use of the plaintext: until the lease is disposed, <see cref="Dispose"/> does not zero it.
    /// </summary>
    /// <exception cref="ObjectDisposedException">The material was disposed.</exception>
    internal Lease AcquireLease()
    {
        lock (_gate)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            _leases++;
        }

        return new Lease(this);
    }

    private void ReleaseLease()
    {
        lock (_gate)
        {
            if (--_leases == 0 && _disposed)
            {
                CryptographicOperations.ZeroMemory(_buffer);
            }
        }
    }

    /// <summary>A description without the material.</summary>
    public override string ToString() => $"KeyMaterial {{ KeySpec = {KeySpec}, IsPrivateKey = {IsPrivateKey}, Length = {Length} }}";

    /// <summary>One use of the plaintext; see <see cref="AcquireLease"/>. Dispose it exactly once.</summary>
    internal readonly ref struct Lease
    {
        private readonly KeyMaterial _owner;

        internal Lease(KeyMaterial owner) => _owner = owner;

        /// <summary>The plaintext, whole for as long as the lease lasts.</summary>
        public ReadOnlySpan<byte> Span => _owner._buffer.AsSpan(0, _owner._length);

        /// <summary>Ends the use; the last one after <see cref="KeyMaterial.Dispose"/> zeroes the plaintext.</summary>
        public void Dispose() => _owner.ReleaseLease();
    }

    /// <summary>A readable name for an EC curve OID.</summary>
    internal static string DescribeCurve(string? oid) => oid switch
    {
        P256Oid => "P-256",
        P384Oid => "P-384",
        "1.3.132.0.35" => "P-521",
        "1.3.132.0.33" => "P-224",
        "1.2.840.10045.3.1.1" => "P-192",
        Secp256k1Oid => "secp256k1",
        Sm2CurveOid => "SM2",
        "1.3.36.3.3.2.8.1.1.7" => "brainpoolP256r1",
        "1.3.36.3.3.2.8.1.1.11" => "brainpoolP384r1",
        null => "explicit or unnamed curve parameters",
        _ => $"curve {oid}",
    };

    private static KeyMaterial FromDer(ReadOnlySpan<byte> der, ReadOnlySpan<char> password, KeySpec? expectedKeySpec, DerFormat? expectedFormat, string source)
    {
        DerFormat format;
        string? algorithmOid = null;
        string? curveOid = null;
        try
        {
            format = Inspect(der, source, out algorithmOid, out curveOid);
        }
        catch (AsnContentException ex)
        {
            throw new KeyImportValidationException(
                $"The private key {source} is malformed or truncated: it is not a valid PKCS#8, PKCS#1 or SEC1 structure. Re-export it, e.g. 'openssl pkcs8 -topk8 -nocrypt -in key.pem -outform DER -out key.der'.", ex);
        }

        if (expectedFormat is { } labelled && labelled != format)
        {
            throw new KeyImportValidationException(
                $"The {source} block holds {Describe(format)} data, which does not match its label; the file was edited. Re-export the key with openssl.");
        }

        try
        {
            switch (format)
            {
                case DerFormat.Pkcs1:
                    using (RSA rsa = RSA.Create())
                    {
                        rsa.ImportRSAPrivateKey(der, out _);
                        return Normalize(rsa, expectedKeySpec);
                    }

                case DerFormat.Sec1 when curveOid == Sm2CurveOid:
                case DerFormat.Pkcs8 when IsSm2(algorithmOid, curveOid):
                    return FromSm2(der, format, expectedKeySpec);

                case DerFormat.Sec1:
                    ThrowIfCurveNotImportable(curveOid, explicitParameters: curveOid is null);
                    using (ECDsa ecdsa = ECDsa.Create())
                    {
                        ecdsa.ImportECPrivateKey(der, out _);
                        return Normalize(ecdsa, curveOid, expectedKeySpec);
                    }

                case DerFormat.Pkcs8 when algorithmOid == RsaEncryptionOid:
                    using (RSA rsa = RSA.Create())
                    {
                        rsa.ImportPkcs8PrivateKey(der, out _);
                        return Normalize(rsa, expectedKeySpec);
                    }

                case DerFormat.Pkcs8 when algorithmOid == EcPublicKeyOid:
                    ThrowIfCurveNotImportable(curveOid, explicitParameters: curveOid is null);
                    using (ECDsa ecdsa = ECDsa.Create())
                    {
                        ecdsa.ImportPkcs8PrivateKey(der, out _);
                        return Normalize(ecdsa, curveOid, expectedKeySpec);
                    }

                case DerFormat.Pkcs8:
                    throw new KeyImportValidationException(
                        $"The private key is {DescribeAlgorithm(algorithmOid)}, which KMS cannot import; use an RSA (2048, 3072, 4096 bits) or EC (P-256, P-384) key.");

                default:
                    return FromEncryptedPkcs8(der, password, expectedKeySpec);
            }
        }
        catch (CryptographicException ex)
        {
            throw new KeyImportValidationException(
                $"The private key {source} could not be read: its {Describe(format)} structure is corrupted or its numbers are inconsistent. Re-export the key with openssl.", ex);
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
            return Normalize(rsa, expectedKeySpec);
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
            if (TryFromEncryptedSm2(der, password, expectedKeySpec) is { } sm2)
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

        return Normalize(ecdsa, curveOidFromFile: null, expectedKeySpec);
    }

    private static DerFormat Inspect(ReadOnlySpan<byte> der, string source, out string? algorithmOid, out string? curveOid)
    {
        const AsnEncodingRules Rules = AsnEncodingRules.BER;
        algorithmOid = null;
        curveOid = null;
        AsnDecoder.ReadSequence(der, Rules, out int offset, out int length, out int consumed);
        if (consumed != der.Length)
        {
            throw new KeyImportValidationException(
                $"The private key {source} has {der.Length - consumed} unexpected bytes after its structure; the file may have been appended to or concatenated with another. Pass only the key.");
        }

        ReadOnlySpan<byte> body = der.Slice(offset, length);
        Asn1Tag first = Asn1Tag.Decode(body, out _);
        if (first.HasSameClassAndValue(Asn1Tag.Sequence))
        {
            AsnDecoder.ReadEncodedValue(body, Rules, out _, out _, out int firstLength);
            Asn1Tag second = Asn1Tag.Decode(body[firstLength..], out _);
            if (second.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString))
            {
                return DerFormat.EncryptedPkcs8;
            }

            throw new KeyImportValidationException(second.HasSameClassAndValue(Asn1Tag.PrimitiveBitString)
                ? "The data is a public key (SubjectPublicKeyInfo); key material must be the private key. Pass the private key file."
                : "The data is not a private key (it looks like a certificate or another structure). Pass the private key file.");
        }

        if (!first.HasSameClassAndValue(Asn1Tag.Integer))
        {
            throw new KeyImportValidationException($"The private key {source} is not a PKCS#8, PKCS#1 or SEC1 structure. Pass a PEM or DER private key.");
        }

        if (!AsnDecoder.TryReadInt32(body, Rules, out int version, out int read))
        {
            throw new KeyImportValidationException($"The private key {source} has an unsupported version number.");
        }

        body = body[read..];
        Asn1Tag next = Asn1Tag.Decode(body, out _);
        if (next.HasSameClassAndValue(Asn1Tag.Sequence) && version is 0 or 1)
        {
            // PrivateKeyInfo: AlgorithmIdentifier { algorithm, parameters (a named curve OID for EC) }.
            AsnDecoder.ReadSequence(body, Rules, out int algOffset, out int algLength, out _);
            ReadOnlySpan<byte> algorithm = body.Slice(algOffset, algLength);
            algorithmOid = AsnDecoder.ReadObjectIdentifier(algorithm, Rules, out int oidLength);
            algorithm = algorithm[oidLength..];
            if (!algorithm.IsEmpty && Asn1Tag.Decode(algorithm, out _).HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
            {
                curveOid = AsnDecoder.ReadObjectIdentifier(algorithm, Rules, out _);
            }

            return DerFormat.Pkcs8;
        }

        if (next.HasSameClassAndValue(Asn1Tag.Integer) && version is 0 or 1)
        {
            return DerFormat.Pkcs1;
        }

        if (next.HasSameClassAndValue(Asn1Tag.PrimitiveOctetString) && version == 1)
        {
            // ECPrivateKey: privateKey, [0] parameters (named curve OID), [1] publicKey.
            AsnDecoder.ReadEncodedValue(body, Rules, out _, out _, out int keyLength);
            body = body[keyLength..];
            var parametersTag = new Asn1Tag(TagClass.ContextSpecific, 0, isConstructed: true);
            if (!body.IsEmpty && Asn1Tag.Decode(body, out _) == parametersTag)
            {
                AsnDecoder.ReadEncodedValue(body, Rules, out int parametersOffset, out int parametersLength, out _);
                ReadOnlySpan<byte> parameters = body.Slice(parametersOffset, parametersLength);
                if (Asn1Tag.Decode(parameters, out _).HasSameClassAndValue(Asn1Tag.ObjectIdentifier))
                {
                    curveOid = AsnDecoder.ReadObjectIdentifier(parameters, Rules, out _);
                }
            }
            else
            {
                throw new KeyImportValidationException(
                    "The EC PRIVATE KEY does not name its curve; convert it to PKCS#8 with 'openssl pkcs8 -topk8 -nocrypt -in key.pem -out key-pkcs8.pem' and pass that.");
            }

            return DerFormat.Sec1;
        }

        throw new KeyImportValidationException($"The private key {source} is not a PKCS#8, PKCS#1 or SEC1 structure. Pass a PEM or DER private key.");
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

    private static KeySpec CurveToSpec(string? curveOid) => curveOid switch
    {
        P256Oid => KeySpec.EcP256,
        P384Oid => KeySpec.EcP384,
        Secp256k1Oid => KeySpec.Secp256k1,
        _ => throw new KeyImportValidationException($"EC keys on {DescribeCurve(curveOid)} cannot be imported; KMS accepts EC_P256 and EC_P384. " + HowToMakeEc),
    };

    private static KeyMaterial Normalize(RSA rsa, KeySpec? expectedKeySpec)
    {
        int bits = rsa.KeySize;
        KeySpec spec = bits switch
        {
            2048 => KeySpec.Rsa2048,
            3072 => KeySpec.Rsa3072,
            4096 => KeySpec.Rsa4096,
            _ => throw new KeyImportValidationException($"RSA-{bits} keys cannot be imported; KMS accepts RSA_2048, RSA_3072 and RSA_4096. " + HowToMakeRsa),
        };
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

    private static KeyMaterial Normalize(ECDsa ecdsa, string? curveOidFromFile, KeySpec? expectedKeySpec)
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

        string? resolvedCurveOid = ResolveCurveOid(curve.Oid) ?? curveOidFromFile;
        if (resolvedCurveOid == Sm2CurveOid)
        {
            return FromSm2Platform(ecdsa, expectedKeySpec);
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

        return Export(spec, 512, ecdsa, static (key, destination) => (key.TryExportPkcs8PrivateKey(destination, out int written), written));
    }

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

    private static string? ResolveCurveOid(Oid? oid)
    {
        if (oid is null)
        {
            return null;
        }

        if (!string.IsNullOrEmpty(oid.Value))
        {
            return oid.Value;
        }

        return oid.FriendlyName switch
        {
            "nistP256" or "ECDSA_P256" or "prime256v1" or "secp256r1" => P256Oid,
            "nistP384" or "ECDSA_P384" or "secp384r1" => P384Oid,
            "secP256k1" or "secp256k1" => Secp256k1Oid,
            _ => null,
        };
    }

    private static void ThrowIfUnexpected(KeySpec actual, KeySpec? expected)
    {
        if (expected is { } wanted && wanted != actual)
        {
            throw new KeyImportValidationException(
                $"The private key is {actual} but the KMS key expects {wanted}. Pass a {wanted} private key, or create the KMS key with key spec {actual}.");
        }
    }

    private static bool LooksLikeHexOf(ReadOnlySpan<byte> material, int expectedBytes)
    {
        ReadOnlySpan<byte> trimmed = material.TrimEnd("\r\n"u8);
        if (trimmed.StartsWith("0x"u8) || trimmed.StartsWith("0X"u8))
        {
            trimmed = trimmed[2..];
        }

        if (trimmed.Length != expectedBytes * 2)
        {
            return false;
        }

        foreach (byte b in trimmed)
        {
            if (!char.IsAsciiHexDigit((char)b))
            {
                return false;
            }
        }

        return true;
    }

    private static string Describe(DerFormat format) => format switch
    {
        DerFormat.Pkcs8 => "PKCS#8 (PRIVATE KEY)",
        DerFormat.EncryptedPkcs8 => "encrypted PKCS#8 (ENCRYPTED PRIVATE KEY)",
        DerFormat.Pkcs1 => "PKCS#1 (RSA PRIVATE KEY)",
        _ => "SEC1 (EC PRIVATE KEY)",
    };

    private static string DescribeAlgorithm(string? oid) => oid switch
    {
        "1.2.840.113549.1.1.10" => "an RSASSA-PSS key",
        "1.3.101.112" => "an Ed25519 key",
        "1.3.101.113" => "an Ed448 key",
        "1.3.101.110" => "an X25519 key",
        "1.2.840.10040.4.1" => "a DSA key",
        "1.2.840.113549.1.3.1" or "1.2.840.10046.2.1" => "a Diffie-Hellman key",
        _ => $"a key of algorithm {oid}",
    };
}
