using System.Buffers.Binary;
using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// The RFC 5649 frame around RFC 3394's wrapping function W, whatever the block cipher: the alternative initial
/// value <c>A65959A6 || MLI</c>, the zero padding, and the integrity check after an unwrap. <see cref="AesKeyWrapPad"/>
/// and <see cref="Sm4KeyWrapPad"/> run their own W (AES-NI, the platform's AES, SM4) between these steps, so the
/// per-block loops stay as they are, with no call through a delegate or interface.
/// </summary>
internal static class Rfc5649Framing
{
    /// <summary>The unit of RFC 3394 and RFC 5649: 8 bytes, half a cipher block.</summary>
    public const int SemiblockSize = 8;

    private const uint AlternativeInitialValue = 0xA65959A6;

    /// <summary>The plaintext length rounded up to a multiple of 8, plus 8 (the caller bounds the length).</summary>
    public static int WrappedLength(int plaintextLength) => ((plaintextLength + 7) & ~7) + SemiblockSize;

    /// <summary>
    /// Writes <c>AIV || P || padding</c> into <paramref name="output"/>: the input of W, or for a single semiblock of
    /// plaintext (n = 1) the one block to encrypt (RFC 5649 section 4.1).
    /// </summary>
    /// <param name="plaintext">The plaintext, 1 byte or more.</param>
    /// <param name="output">Exactly <see cref="WrappedLength"/> bytes, not overlapping <paramref name="plaintext"/>.</param>
    public static void WriteFrame(ReadOnlySpan<byte> plaintext, Span<byte> output)
    {
        // AIV = A65959A6 || MLI (big-endian); P is zero-padded to a multiple of 8, in place.
        BinaryPrimitives.WriteUInt32BigEndian(output, AlternativeInitialValue);
        BinaryPrimitives.WriteUInt32BigEndian(output[4..], (uint)plaintext.Length);
        plaintext.CopyTo(output[SemiblockSize..]);
        output[(SemiblockSize + plaintext.Length)..].Clear();
    }

    /// <summary>
    /// Checks the recovered A = A65959A6 || MLI, that 8(n - 1) &lt; MLI &lt;= 8n, and the zero padding (RFC 5649
    /// section 3), all before the one branch, so the time taken does not say which check failed.
    /// </summary>
    /// <param name="a">The recovered A, its 8 bytes in memory order.</param>
    /// <param name="last">The last recovered semiblock (where the padding is), in memory order.</param>
    /// <param name="n">The number of plaintext semiblocks, padding included.</param>
    /// <param name="failureMessage">The message of the exception, naming the block cipher.</param>
    /// <returns>The message length (MLI).</returns>
    /// <exception cref="CryptographicException">A check failed: wrong key, or altered or foreign data.</exception>
    public static int CheckIntegrity(ulong a, ulong last, int n, string failureMessage)
    {
        ulong value = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(a) : a;
        ulong lastValue = BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(last) : last;
        uint magic = (uint)(value >> 32);
        uint length = (uint)value;

        // 8(n - 1) < MLI <= 8n, i.e. the padding is 0 to 7 bytes.
        ulong padding = (8UL * (uint)n) - length;
        bool lengthOk = padding < SemiblockSize;
        int paddingBits = (int)(padding & 7) * 8;
        ulong paddingMask = (1UL << paddingBits) - 1;
        bool paddingOk = (lastValue & paddingMask) == 0;
        bool ok = (magic == AlternativeInitialValue) & lengthOk & paddingOk;
        if (!ok)
        {
            throw new CryptographicException(failureMessage);
        }

        return (int)length;
    }
}
