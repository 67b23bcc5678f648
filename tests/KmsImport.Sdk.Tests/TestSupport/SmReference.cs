using System.Buffers.Binary;
using System.Formats.Asn1;
using Org.BouncyCastle.Crypto.Digests;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Security;

namespace KmsImport.Sdk.Tests.TestSupport;

/// <summary>
/// Test-side references written from the specifications, independent of the SDK's code: RFC 5649 (with
/// RFC 3394's W) over any 128-bit block function, SM4 single blocks from BouncyCastle, and SM2 decryption of the
/// GM/T 0009 DER ciphertext with BouncyCastle's <c>SM2Engine</c>.
/// </summary>
internal static class SmReference
{
    public const uint AlternativeIv = 0xA65959A6;

    /// <summary>RFC 5649 section 4.1 with an explicit A (so tests can forge a bad ICV or length) over padded P.</summary>
    public static byte[] Wrap(Func<byte[], byte[]> encryptBlock, ulong a, byte[] paddedPlaintext)
    {
        int n = paddedPlaintext.Length / 8;
        if (n == 1)
        {
            byte[] block = new byte[16];
            BinaryPrimitives.WriteUInt64BigEndian(block, a);
            paddedPlaintext.CopyTo(block, 8);
            return encryptBlock(block);
        }

        // RFC 3394 section 2.2.1, index-based.
        var r = new byte[n + 1][];
        for (int i = 1; i <= n; i++)
        {
            r[i] = paddedPlaintext.AsSpan((i - 1) * 8, 8).ToArray();
        }

        for (int j = 0; j <= 5; j++)
        {
            for (int i = 1; i <= n; i++)
            {
                byte[] input = new byte[16];
                BinaryPrimitives.WriteUInt64BigEndian(input, a);
                r[i].CopyTo(input, 8);
                byte[] b = encryptBlock(input);
                a = BinaryPrimitives.ReadUInt64BigEndian(b) ^ (ulong)((n * j) + i);
                r[i] = b[8..];
            }
        }

        byte[] c = new byte[(n + 1) * 8];
        BinaryPrimitives.WriteUInt64BigEndian(c, a);
        for (int i = 1; i <= n; i++)
        {
            r[i].CopyTo(c, i * 8);
        }

        return c;
    }

    /// <summary>RFC 5649 of <paramref name="plaintext"/> with the alternative IV A65959A6 || MLI and zero padding.</summary>
    public static byte[] Wrap(Func<byte[], byte[]> encryptBlock, byte[] plaintext)
    {
        ulong a = ((ulong)AlternativeIv << 32) | (uint)plaintext.Length;
        byte[] padded = new byte[(plaintext.Length + 7) / 8 * 8];
        plaintext.CopyTo(padded, 0);
        return Wrap(encryptBlock, a, padded);
    }

    /// <summary>One SM4 block with BouncyCastle's engine.</summary>
    public static Func<byte[], byte[]> Sm4Blocks(byte[] key, bool forEncryption = true) => block =>
    {
        var engine = new SM4Engine();
        engine.Init(forEncryption, new KeyParameter(key));
        byte[] output = new byte[16];
        engine.ProcessBlock(block, 0, output, 0);
        return output;
    };

    /// <summary>Decrypts the GM/T 0009 DER ciphertext: DER to C1 || C3 || C2 (coordinates padded to 32 bytes), then SM2Engine.</summary>
    public static byte[] Sm2Decrypt(byte[] pkcs8PrivateKey, byte[] derCiphertext)
    {
        var reader = new AsnReader(derCiphertext, AsnEncodingRules.DER);
        AsnReader sequence = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        byte[] x = sequence.ReadIntegerBytes().ToArray();
        byte[] y = sequence.ReadIntegerBytes().ToArray();
        byte[] hash = sequence.ReadOctetString();
        byte[] ciphertext = sequence.ReadOctetString();
        sequence.ThrowIfNotEmpty();

        byte[] raw = new byte[1 + 64 + hash.Length + ciphertext.Length];
        raw[0] = 0x04;
        CopyCoordinate(x, raw.AsSpan(1, 32));
        CopyCoordinate(y, raw.AsSpan(33, 32));
        hash.CopyTo(raw, 65);
        ciphertext.CopyTo(raw, 65 + hash.Length);

        var privateKey = (ECPrivateKeyParameters)PrivateKeyFactory.CreateKey(pkcs8PrivateKey);
        var engine = new SM2Engine(new SM3Digest(), SM2Engine.Mode.C1C3C2);
        engine.Init(false, privateKey);
        return engine.ProcessBlock(raw, 0, raw.Length);
    }

    private static void CopyCoordinate(byte[] integer, Span<byte> destination)
    {
        // DER INTEGER: a leading 0x00 only when the top bit is set; shorter when the value has leading zero bytes.
        ReadOnlySpan<byte> value = integer.AsSpan().TrimStart((byte)0);
        if (value.Length > 32)
        {
            throw new FormatException("SM2 coordinate longer than 32 bytes.");
        }

        destination.Clear();
        value.CopyTo(destination[(32 - value.Length)..]);
    }
}
