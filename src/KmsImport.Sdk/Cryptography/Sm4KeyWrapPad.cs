using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// RFC 5649 key wrap with padding over the SM4 block cipher (alternative initial value <c>A65959A6</c>
/// followed by the 32-bit message length): how Huawei's Chinese regions take an SM2 private key under
/// a 16-byte SM4 temporary key (<c>gmssl enc -sms4-wrap-pad</c>). The same algorithm as
/// <see cref="AesKeyWrapPad"/>, with SM4 (GB/T 32907) as the 128-bit block cipher.
/// </summary>
/// <remarks>
/// <para>
/// The SM4 block operations are BouncyCastle's <c>SM4Engine</c>; the wrap itself runs in place on
/// the destination with span APIs. The working block and any failed output are zeroed before a
/// method returns or throws. BouncyCastle keeps its own copy of the key schedule for the duration of
/// one call; this SDK cannot zero that copy, but drops it when the call returns.
/// </para>
/// <para>A failed unwrap leaves no plaintext in the destination.</para>
/// </remarks>
public static class Sm4KeyWrapPad
{
    /// <summary>The SM4 key length in bytes (128 bits).</summary>
    public const int KeyLength = 16;

    /// <summary>The largest plaintext this class wraps: 1 MiB, far above any SM2 private key (a PKCS#8 SM2 key is under 200 bytes).</summary>
    public const int MaxPlaintextLength = 1024 * 1024;

    /// <summary>The largest wrapped input <see cref="Unwrap(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> accepts.</summary>
    public const int MaxWrappedLength = MaxPlaintextLength + SemiblockSize;

    private const int SemiblockSize = Rfc5649Framing.SemiblockSize;
    private const int BlockSize = 16;
    private const string IntegrityFailure =
        "The wrapped key failed its RFC 5649 integrity check: the SM4 key-encryption key is wrong, or the data was altered or is not an SM4 key wrap with padding.";
    private const int StackWorkLength = 512;

    /// <summary>The length of the wrapped output for a plaintext of <paramref name="plaintextLength"/> bytes.</summary>
    /// <param name="plaintextLength">The plaintext length, from 1 to <see cref="MaxPlaintextLength"/>.</param>
    /// <returns>The plaintext length rounded up to a multiple of 8, plus 8.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="plaintextLength"/> is less than 1 or greater than <see cref="MaxPlaintextLength"/>.</exception>
    public static int GetWrappedLength(int plaintextLength)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(plaintextLength);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(plaintextLength, MaxPlaintextLength);
        return Rfc5649Framing.WrappedLength(plaintextLength);
    }

    /// <summary>Wraps <paramref name="plaintext"/> under the SM4 key <paramref name="kek"/>.</summary>
    /// <param name="kek">A 16-byte SM4 key-encryption key.</param>
    /// <param name="plaintext">The key to wrap, 1 to <see cref="MaxPlaintextLength"/> bytes.</param>
    /// <returns>The wrapped key.</returns>
    /// <exception cref="ArgumentException"><paramref name="kek"/> is not 16 bytes, or <paramref name="plaintext"/> is empty or too long.</exception>
    public static byte[] Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> plaintext)
    {
        ValidateKek(kek);
        Rfc5649Arguments.ValidatePlaintextLength(plaintext.Length, MaxPlaintextLength, nameof(Sm4KeyWrapPad));
        byte[] result = new byte[Rfc5649Framing.WrappedLength(plaintext.Length)];
        Wrap(kek, plaintext, result);
        return result;
    }

    /// <summary>Wraps <paramref name="plaintext"/> under the SM4 key <paramref name="kek"/> into <paramref name="destination"/>.</summary>
    /// <param name="kek">A 16-byte SM4 key-encryption key.</param>
    /// <param name="plaintext">The key to wrap, 1 to <see cref="MaxPlaintextLength"/> bytes.</param>
    /// <param name="destination">Receives the wrapped key; at least <see cref="GetWrappedLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="kek"/> is not 16 bytes; <paramref name="plaintext"/> is empty or too long;
    /// <paramref name="destination"/> is too short or overlaps an input.
    /// </exception>
    public static int Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        ValidateKek(kek);
        Rfc5649Arguments.ValidatePlaintextLength(plaintext.Length, MaxPlaintextLength, nameof(Sm4KeyWrapPad));
        int wrappedLength = Rfc5649Framing.WrappedLength(plaintext.Length);
        Rfc5649Arguments.ValidateDestinationLength(destination.Length, plaintext.Length, wrappedLength);
        Rfc5649Arguments.ThrowIfOverlapping(destination, kek, nameof(kek));
        Rfc5649Arguments.ThrowIfOverlapping(destination, plaintext, nameof(plaintext));

        Span<byte> output = destination[..wrappedLength];
        Span<byte> block = stackalloc byte[BlockSize];
        bool succeeded = false;
        try
        {
            Rfc5649Framing.WriteFrame(plaintext, output);

            SM4Engine engine = CreateEngine(kek, forEncryption: true);
            int n = (wrappedLength / SemiblockSize) - 1;
            if (n == 1)
            {
                // A single SM4-ECB block, AIV || P (RFC 5649 section 4.1).
                engine.ProcessBlock(output, block);
                block.CopyTo(output);
            }
            else
            {
                // RFC 3394 W: A is output[0..8], R[i] is output[8i..8i+8].
                for (int j = 0; j <= 5; j++)
                {
                    for (int i = 1; i <= n; i++)
                    {
                        Span<byte> r = output.Slice(i * SemiblockSize, SemiblockSize);
                        output[..SemiblockSize].CopyTo(block);
                        r.CopyTo(block[SemiblockSize..]);
                        engine.ProcessBlock(block, block);
                        ulong t = (ulong)((n * j) + i);
                        BinaryPrimitives.WriteUInt64BigEndian(output, BinaryPrimitives.ReadUInt64BigEndian(block) ^ t);
                        block[SemiblockSize..].CopyTo(r);
                    }
                }
            }

            succeeded = true;
            return wrappedLength;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
            if (!succeeded)
            {
                CryptographicOperations.ZeroMemory(output);
            }
        }
    }

    /// <summary>Unwraps <paramref name="wrapped"/> under the SM4 key <paramref name="kek"/>.</summary>
    /// <param name="kek">A 16-byte SM4 key-encryption key.</param>
    /// <param name="wrapped">The wrapped key: a multiple of 8 bytes, from 16 to <see cref="MaxWrappedLength"/>.</param>
    /// <returns>The plaintext; the caller owns it and should zero it after use.</returns>
    /// <exception cref="ArgumentException"><paramref name="kek"/> is not 16 bytes, or the length of <paramref name="wrapped"/> is not a multiple of 8 from 16 to <see cref="MaxWrappedLength"/>.</exception>
    /// <exception cref="CryptographicException">The integrity check failed: wrong key, or the data was altered or is not an RFC 5649 wrap over SM4.</exception>
    public static byte[] Unwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped)
    {
        ValidateKek(kek);
        Rfc5649Arguments.ValidateWrappedLength(wrapped.Length, MaxWrappedLength, nameof(Sm4KeyWrapPad));
        int n = (wrapped.Length / SemiblockSize) - 1;

        // Private keys are small: the working copy lives on the stack up to 512 bytes, else in a pinned array.
        byte[]? rented = wrapped.Length > StackWorkLength ? GC.AllocateUninitializedArray<byte>(wrapped.Length, pinned: true) : null;
        Span<byte> work = rented ?? stackalloc byte[StackWorkLength];
        work = work[..wrapped.Length];
        Span<byte> block = stackalloc byte[BlockSize];
        try
        {
            wrapped.CopyTo(work);
            SM4Engine engine = CreateEngine(kek, forEncryption: false);
            if (n == 1)
            {
                engine.ProcessBlock(work, block);
                block.CopyTo(work);
            }
            else
            {
                // RFC 3394 W^-1.
                for (int j = 5; j >= 0; j--)
                {
                    for (int i = n; i >= 1; i--)
                    {
                        Span<byte> r = work.Slice(i * SemiblockSize, SemiblockSize);
                        ulong t = (ulong)((n * j) + i);
                        BinaryPrimitives.WriteUInt64BigEndian(block, BinaryPrimitives.ReadUInt64BigEndian(work) ^ t);
                        r.CopyTo(block[SemiblockSize..]);
                        engine.ProcessBlock(block, block);
                        block[..SemiblockSize].CopyTo(work);
                        block[SemiblockSize..].CopyTo(r);
                    }
                }
            }

            int length = Rfc5649Framing.CheckIntegrity(
                MemoryMarshal.Read<ulong>(work), MemoryMarshal.Read<ulong>(work[^SemiblockSize..]), n, IntegrityFailure);
            return work.Slice(SemiblockSize, length).ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(block);
            CryptographicOperations.ZeroMemory(work);
        }
    }

    private static SM4Engine CreateEngine(ReadOnlySpan<byte> kek, bool forEncryption)
    {
        var engine = new SM4Engine();
        engine.Init(forEncryption, new KeyParameter(kek));
        return engine;
    }

    private static void ValidateKek(ReadOnlySpan<byte> kek)
    {
        if (kek.Length != KeyLength)
        {
            throw new ArgumentException($"The key-encryption key is {kek.Length} bytes; SM4 takes exactly {KeyLength} bytes (128 bits).", nameof(kek));
        }
    }
}
