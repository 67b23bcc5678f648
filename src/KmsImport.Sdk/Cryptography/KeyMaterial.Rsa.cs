using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>RSA private keys read, checked and normalized without the platform's <c>RSA</c> object.</summary>
/// <remarks>
/// <para>
/// A DER-encoded two-prime PKCS#1 <c>RSAPrivateKey</c> (bare, or inside an <c>rsaEncryption</c> PKCS#8) is checked with
/// integer arithmetic instead of a private-key signature: n = p·q, d mod (p−1) = dP, d mod (q−1) = dQ,
/// e·dP ≡ 1 (mod p−1), e·dQ ≡ 1 (mod q−1) and q·qInv ≡ 1 (mod p). Together these prove that every number the service
/// will use belongs to the same key (a private-key signature checks only the CRT values it uses, and costs about 5 ms
/// for RSA-4096); only the primality of p and q is not tested, which no corruption of a real key can break while
/// keeping all the relations above. The key is then written as the PKCS#8 DER that
/// <c>openssl pkcs8 -topk8 -nocrypt -outform DER</c> writes, straight from the input's integers into the pinned
/// buffer the material owns.
/// </para>
/// <para>
/// The arithmetic uses <see cref="BigInteger"/>, whose copies of the numbers live in runtime-owned arrays this SDK
/// cannot zero (as with BouncyCastle's copy of an SM2 scalar). Input that is not such DER (BER, multi-prime keys)
/// takes the platform path.
/// </para>
/// </remarks>
public sealed partial class KeyMaterial
{
    // AlgorithmIdentifier { rsaEncryption, NULL } as openssl writes it.
    private static ReadOnlySpan<byte> RsaAlgorithmIdentifier => [0x30, 0x0D, 0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x01, 0x01, 0x05, 0x00];

    /// <summary>
    /// The checked PKCS#8 material of a two-prime RSA key in DER, or null when the input is not such DER (the caller then
    /// uses the platform importer, which also produces its errors).
    /// </summary>
    private static KeyMaterial? TryFromRsaDer(ReadOnlySpan<byte> der, DerFormat format, KeySpec? expectedKeySpec, string source)
    {
        const AsnEncodingRules Rules = AsnEncodingRules.DER;
        Span<Range> integers = stackalloc Range[8];
        ReadOnlySpan<byte> pkcs1;
        try
        {
            pkcs1 = format == DerFormat.Pkcs1 ? der : ReadPkcs8PrivateKey(der);
            AsnDecoder.ReadSequence(pkcs1, Rules, out int offset, out int length, out int consumed);
            if (consumed != pkcs1.Length)
            {
                return null;
            }

            ReadOnlySpan<byte> body = pkcs1.Slice(offset, length);
            if (!AsnDecoder.TryReadInt32(body, Rules, out int version, out int read) || version != 0)
            {
                return null;
            }

            int position = offset + read;
            for (int i = 0; i < integers.Length; i++)
            {
                ReadOnlySpan<byte> value = AsnDecoder.ReadIntegerBytes(pkcs1[position..(offset + length)], Rules, out read);
                if ((value[0] & 0x80) != 0)
                {
                    return null;
                }

                // The content octets end where the encoding ends.
                integers[i] = new Range(position + read - value.Length, position + read);
                position += read;
            }

            if (position != offset + length)
            {
                return null;
            }
        }
        catch (AsnContentException)
        {
            return null;
        }

        ReadOnlySpan<byte> modulus = Magnitude(pkcs1[integers[0]]);
        int bits = modulus.IsEmpty ? 0 : ((modulus.Length - 1) * 8) + (32 - BitOperations.LeadingZeroCount((uint)modulus[0]));
        KeySpec spec = bits switch
        {
            2048 => KeySpec.Rsa2048,
            3072 => KeySpec.Rsa3072,
            4096 => KeySpec.Rsa4096,
            _ => throw new KeyImportValidationException($"RSA-{bits} keys cannot be imported; KMS accepts RSA_2048, RSA_3072 and RSA_4096. " + HowToMakeRsa),
        };
        ThrowIfUnexpected(spec, expectedKeySpec);

        if (!IsConsistent(pkcs1, integers))
        {
            throw new KeyImportValidationException(
                $"The private key {source} could not be read: its {Describe(format)} structure is corrupted or its numbers are inconsistent. Re-export the key with openssl.");
        }

        return WriteRsaPkcs8(spec, pkcs1, integers);
    }

    // PrivateKeyInfo { version, AlgorithmIdentifier (already checked to be rsaEncryption), privateKey OCTET STRING, ... }.
    private static ReadOnlySpan<byte> ReadPkcs8PrivateKey(ReadOnlySpan<byte> der)
    {
        const AsnEncodingRules Rules = AsnEncodingRules.DER;
        AsnDecoder.ReadSequence(der, Rules, out int offset, out int length, out _);
        ReadOnlySpan<byte> body = der.Slice(offset, length);
        AsnDecoder.ReadEncodedValue(body, Rules, out _, out _, out int read);
        body = body[read..];
        AsnDecoder.ReadEncodedValue(body, Rules, out _, out _, out read);
        if (!body[..read].SequenceEqual(RsaAlgorithmIdentifier))
        {
            throw new AsnContentException();
        }

        body = body[read..];
        if (!AsnDecoder.TryReadPrimitiveOctetString(body, Rules, out ReadOnlySpan<byte> privateKey, out _))
        {
            throw new AsnContentException();
        }

        return privateKey;
    }

    private static ReadOnlySpan<byte> Magnitude(ReadOnlySpan<byte> content) =>
        content.Length > 1 && content[0] == 0 ? content[1..] : content;

    private static bool IsConsistent(ReadOnlySpan<byte> pkcs1, ReadOnlySpan<Range> integers)
    {
        BigInteger n = ReadUnsigned(pkcs1, integers[0]);
        BigInteger e = ReadUnsigned(pkcs1, integers[1]);
        BigInteger d = ReadUnsigned(pkcs1, integers[2]);
        BigInteger p = ReadUnsigned(pkcs1, integers[3]);
        BigInteger q = ReadUnsigned(pkcs1, integers[4]);
        BigInteger dp = ReadUnsigned(pkcs1, integers[5]);
        BigInteger dq = ReadUnsigned(pkcs1, integers[6]);
        BigInteger qInv = ReadUnsigned(pkcs1, integers[7]);
        if (e < 3 || e.IsEven || e >= n || d <= 1 || d >= n || p <= 2 || q <= 2 || qInv.IsZero || qInv >= p)
        {
            return false;
        }

        BigInteger p1 = p - BigInteger.One;
        BigInteger q1 = q - BigInteger.One;
        return p * q == n
            && d % p1 == dp
            && d % q1 == dq
            && (e * dp % p1).IsOne
            && (e * dq % q1).IsOne
            && (q * qInv % p).IsOne;
    }

    private static BigInteger ReadUnsigned(ReadOnlySpan<byte> pkcs1, Range integer) =>
        new(pkcs1[integer], isUnsigned: true, isBigEndian: true);

    private static KeyMaterial WriteRsaPkcs8(KeySpec spec, ReadOnlySpan<byte> pkcs1, ReadOnlySpan<Range> integers)
    {
        // RSAPrivateKey { version 0, n, e, d, p, q, dP, dQ, qInv }, each INTEGER copied as read (DER is minimal already).
        int rsaContent = 3;
        foreach (Range integer in integers)
        {
            rsaContent += EncodedLength(integer.GetOffsetAndLength(pkcs1.Length).Length);
        }

        int rsaPrivateKey = EncodedLength(rsaContent);
        int pkcs8Content = 3 + RsaAlgorithmIdentifier.Length + EncodedLength(rsaPrivateKey);
        int total = EncodedLength(pkcs8Content);
        byte[] buffer = GC.AllocateUninitializedArray<byte>(total, pinned: true);
        bool written = false;
        int at = 0;
        try
        {
            Span<byte> destination = buffer;
            WriteHeader(destination, ref at, 0x30, pkcs8Content);
            WriteVersionZero(destination, ref at);
            RsaAlgorithmIdentifier.CopyTo(destination[at..]);
            at += RsaAlgorithmIdentifier.Length;
            WriteHeader(destination, ref at, 0x04, rsaPrivateKey);
            WriteHeader(destination, ref at, 0x30, rsaContent);
            WriteVersionZero(destination, ref at);
            foreach (Range integer in integers)
            {
                ReadOnlySpan<byte> content = pkcs1[integer];
                WriteHeader(destination, ref at, 0x02, content.Length);
                content.CopyTo(destination[at..]);
                at += content.Length;
            }

            written = true;
        }
        finally
        {
            if (!written)
            {
                CryptographicOperations.ZeroMemory(buffer);
            }
        }

        return new KeyMaterial(spec, true, buffer, at);
    }

    private static void WriteVersionZero(Span<byte> destination, ref int at)
    {
        destination[at++] = 0x02;
        destination[at++] = 0x01;
        destination[at++] = 0x00;
    }

    private static int EncodedLength(int contentLength) => 1 + LengthOfLength(contentLength) + contentLength;

    private static int LengthOfLength(int length) => length < 0x80 ? 1 : length <= 0xFF ? 2 : length <= 0xFFFF ? 3 : 4;

    private static void WriteHeader(Span<byte> destination, ref int at, byte tag, int length)
    {
        destination[at++] = tag;
        int lengthOfLength = LengthOfLength(length);
        if (lengthOfLength == 1)
        {
            destination[at++] = (byte)length;
            return;
        }

        destination[at++] = (byte)(0x80 | (lengthOfLength - 1));
        for (int shift = (lengthOfLength - 2) * 8; shift >= 0; shift -= 8)
        {
            destination[at++] = (byte)(length >> shift);
        }
    }
}
