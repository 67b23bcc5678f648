using System.Formats.Asn1;
using System.Security.Cryptography;
using Org.BouncyCastle.Asn1.GM;
using Org.BouncyCastle.Asn1.X9;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Crypto.Prng;
using Org.BouncyCastle.Security;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// SM2 public-key encryption with SM3 (GB/T 32918.4), the <c>SM2_ENCRYPT</c> wrapping algorithm, in the DER
/// ciphertext form of GM/T 0009: <c>SEQUENCE { x INTEGER, y INTEGER, hash OCTET STRING, ciphertext OCTET STRING }</c>,
/// which is what <c>openssl pkeyutl -encrypt</c> writes for an SM2 key (OpenSSL 3) and
/// <c>gmssl pkeyutl -encrypt -pkeyopt ec_scheme:sm2 -pkeyopt ec_encrypt_param:sm3</c> writes.
/// </summary>
/// <remarks>
/// The elliptic-curve arithmetic and the KDF are BouncyCastle's <c>SM2Engine</c> (which gives the raw
/// C1 || C3 || C2 form); this class encodes the DER itself. The ephemeral scalar comes from the platform
/// CSPRNG. Thread-safe: every call has its own engine.
/// </remarks>
internal static class Sm2Encryption
{
    /// <summary>The largest plaintext encrypted: SM2 itself has no bound, key material is at most 64 bytes.</summary>
    public const int MaxPlaintextLength = 1024;

    private const int CoordinateLength = 32;
    private const int HashLength = 32;

    /// <summary>The sm2p256v1 domain parameters.</summary>
    public static ECDomainParameters Domain { get; } = CreateDomain();

    /// <summary>The length of the DER ciphertext for <paramref name="plaintextLength"/> bytes, at most (INTEGERs may be shorter).</summary>
    public static int MaxCiphertextLength(int plaintextLength) =>
        4 + (2 * (2 + 1 + CoordinateLength)) + (2 + HashLength) + 4 + plaintextLength;

    /// <summary>Validates an uncompressed or compressed SM2 point and returns the public key.</summary>
    /// <exception cref="ArgumentException">The point is not on the curve, is the point at infinity, or is malformed.</exception>
    public static ECPublicKeyParameters DecodePublicKey(ReadOnlySpan<byte> encodedPoint)
    {
        Org.BouncyCastle.Math.EC.ECPoint point = Domain.Curve.DecodePoint(encodedPoint.ToArray());
        return new ECPublicKeyParameters(point, Domain);
    }

    /// <summary>Encrypts <paramref name="plaintext"/> under <paramref name="publicKey"/>.</summary>
    /// <param name="publicKey">The SM2 wrapping public key.</param>
    /// <param name="plaintext">1 to <see cref="MaxPlaintextLength"/> bytes.</param>
    /// <returns>The GM/T 0009 DER ciphertext.</returns>
    public static byte[] Encrypt(ECPublicKeyParameters publicKey, ReadOnlySpan<byte> plaintext)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (plaintext.IsEmpty || plaintext.Length > MaxPlaintextLength)
        {
            throw new ArgumentException($"SM2 encrypts 1 to {MaxPlaintextLength} bytes here; got {plaintext.Length}.", nameof(plaintext));
        }

        // BouncyCastle takes arrays: the plaintext copy is pinned and zeroed; the raw output holds only ciphertext.
        byte[] input = GC.AllocateUninitializedArray<byte>(plaintext.Length, pinned: true);
        byte[] raw;
        try
        {
            plaintext.CopyTo(input);
            var engine = new SM2Engine(new SM3Digest(), SM2Engine.Mode.C1C3C2);
            engine.Init(true, new ParametersWithRandom(publicKey, new SecureRandom(new CryptoApiRandomGenerator())));
            raw = engine.ProcessBlock(input, 0, input.Length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(input);
        }

        // C1 = 04 || x || y, C3 = SM3 hash (32 bytes), C2 = ciphertext (plaintext length).
        const int C1Length = 1 + (2 * CoordinateLength);
        if (raw.Length != C1Length + HashLength + plaintext.Length || raw[0] != 0x04)
        {
            throw new CryptographicException("SM2 encryption produced an unexpected ciphertext layout.");
        }

        ReadOnlySpan<byte> c = raw;
        var writer = new AsnWriter(AsnEncodingRules.DER, initialCapacity: MaxCiphertextLength(plaintext.Length));
        using (writer.PushSequence())
        {
            // Unsigned: a leading 0x00 is added when the top bit is set, leading zero bytes are dropped.
            writer.WriteIntegerUnsigned(TrimLeadingZeros(c.Slice(1, CoordinateLength)));
            writer.WriteIntegerUnsigned(TrimLeadingZeros(c.Slice(1 + CoordinateLength, CoordinateLength)));
            writer.WriteOctetString(c.Slice(C1Length, HashLength));
            writer.WriteOctetString(c[(C1Length + HashLength)..]);
        }

        return writer.Encode();
    }

    private static ReadOnlySpan<byte> TrimLeadingZeros(ReadOnlySpan<byte> value)
    {
        int i = value.IndexOfAnyExcept((byte)0);
        return i < 0 ? value[^1..] : value[i..];
    }

    private static ECDomainParameters CreateDomain()
    {
        X9ECParameters parameters = GMNamedCurves.GetByOid(GMObjectIdentifiers.sm2p256v1);
        return new ECNamedDomainParameters(GMObjectIdentifiers.sm2p256v1, parameters);
    }
}
