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
public sealed class KeyMaterial : IDisposable
{
    private readonly byte[] _buffer;
    private readonly int _length;
    private readonly Lock _gate = new();
    private int _leases;
    private bool _disposed;

    /// <summary>Material that takes ownership of a pinned buffer whose first <paramref name="length"/> bytes are the plaintext.</summary>
    /// <remarks>
    /// Unchecked: the loaders (the factories here, <see cref="Pkcs8Normalizer"/>, <see cref="Sm2Pkcs8Normalizer"/>) check
    /// the material first. Tests also use it for material no loader makes (a length beyond every spec).
    /// </remarks>
    internal KeyMaterial(KeySpec keySpec, bool isPrivateKey, byte[] buffer, int length)
    {
        KeySpec = keySpec;
        IsPrivateKey = isPrivateKey;
        _buffer = buffer;
        _length = length;
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

    /// <summary>
    /// Whether every byte of the private copy is zero, as <see cref="Dispose"/> (or the last lease after it) leaves it.
    /// A test seam: it tells whether the zeroing happened without handing out the buffer.
    /// </summary>
    internal bool IsZeroed
    {
        get
        {
            lock (_gate)
            {
                return !_buffer.AsSpan().ContainsAnyExcept((byte)0);
            }
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
    public static KeyMaterial FromPrivateKey(ReadOnlySpan<byte> pemOrDer, ReadOnlySpan<char> password = default, KeySpec? expectedKeySpec = null) =>
        Pkcs8Normalizer.FromPemOrDer(pemOrDer, password, expectedKeySpec);

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
    public static KeyMaterial FromPrivateKeyPem(ReadOnlySpan<char> pem, ReadOnlySpan<char> password = default, KeySpec? expectedKeySpec = null) =>
        Pkcs8Normalizer.FromPem(pem, password, expectedKeySpec);

    /// <summary>A private key from an <see cref="RSA"/> object, which stays owned (and undisposed) by the caller.</summary>
    /// <param name="rsa">The key; it must hold the private part.</param>
    /// <param name="expectedKeySpec">When set, the key must be of this spec.</param>
    /// <returns>The material as unencrypted PKCS#8 DER.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="rsa"/> is null.</exception>
    /// <exception cref="KeyImportValidationException">The object holds no private key, its size is not 2048, 3072 or 4096 bits, or it does not match <paramref name="expectedKeySpec"/>.</exception>
    public static KeyMaterial FromRsa(RSA rsa, KeySpec? expectedKeySpec = null)
    {
        ArgumentNullException.ThrowIfNull(rsa);
        return Pkcs8Normalizer.FromRsa(rsa, expectedKeySpec);
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
        return Pkcs8Normalizer.FromECDsa(ecdsa, curveOidFromFile: null, expectedKeySpec);
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
}
