using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using System.Security.Cryptography;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// The AES-NI engine behind <see cref="AesKeyWrapPad"/>: the key schedule expanded with
/// AESKEYGENASSIST into stack memory, and the RFC 3394 wrapping function W (and its inverse)
/// running in place on the caller's blocks.
/// </summary>
/// <remarks>
/// Key wrap is one long dependent chain (each block encryption needs the previous one's output),
/// so its speed is the latency of 6n AES encryptions. The loops keep anything else off that chain:
/// the whitening of the next input and the round counter t are folded into the last round key,
/// so between two encryptions there is only one 1-cycle <c>punpcklqdq</c>.
/// The round keys live in an <see cref="AesRoundKeys"/> on the stack, zeroed in <c>finally</c>;
/// copies the JIT leaves in vector registers are beyond what C# can clear.
/// </remarks>
internal static class AesNiKeyWrap
{
    /// <summary>Whether the AES-NI path can run on this machine.</summary>
    public static bool IsSupported => X86Aes.IsSupported && Sse41.IsSupported;

    /// <summary>Runs W (RFC 3394 section 2.2.1, index form) on <paramref name="blocks"/> in place.</summary>
    /// <param name="kek">A 16, 24 or 32-byte key (validated by the caller).</param>
    /// <param name="a">The initial value, as its 8 bytes in memory order.</param>
    /// <param name="blocks">R[1..n], n &gt;= 2; replaced by the wrapped blocks.</param>
    /// <returns>The final A (the first 8 bytes of the output), in memory order.</returns>
    public static ulong Wrap(ReadOnlySpan<byte> kek, ulong a, Span<byte> blocks)
    {
        AesRoundKeys keys = default;
        try
        {
            int rounds = AesNiKeySchedule.Expand(kek, ref keys);
            return WrapCore(in keys, rounds, a, blocks);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys.AsBytes());
        }
    }

    /// <summary>Runs W⁻¹ (RFC 3394 section 2.2.2, index form) in place.</summary>
    /// <param name="kek">A 16, 24 or 32-byte key (validated by the caller).</param>
    /// <param name="a">The first 8 ciphertext bytes, in memory order.</param>
    /// <param name="head">R[1..n-1], n &gt;= 2; replaced by the unwrapped blocks.</param>
    /// <param name="last">R[n]; kept apart so that the caller can unwrap into a destination up to 7 bytes shorter than 8n.</param>
    /// <returns>The recovered A, in memory order (the caller checks it).</returns>
    public static ulong Unwrap(ReadOnlySpan<byte> kek, ulong a, Span<byte> head, ref ulong last)
    {
        AesRoundKeys keys = default;
        try
        {
            int rounds = AesNiKeySchedule.Expand(kek, ref keys);
            AesNiKeySchedule.InvertForDecryption(ref keys, rounds);
            return UnwrapCore(in keys, rounds, a, head, ref last);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys.AsBytes());
        }
    }

    /// <summary>Encrypts one 16-byte block in place (the n = 1 case of RFC 5649).</summary>
    /// <param name="kek">A 16, 24 or 32-byte key (validated by the caller).</param>
    /// <param name="block">The block.</param>
    public static void EncryptBlock(ReadOnlySpan<byte> kek, Span<byte> block)
    {
        AesRoundKeys keys = default;
        try
        {
            int rounds = AesNiKeySchedule.Expand(kek, ref keys);
            Vector128<byte> state = Vector128.Create<byte>(block) ^ keys[0];
            state = EncryptMiddleRounds(state, in keys, rounds);
            X86Aes.EncryptLast(state, keys[rounds]).CopyTo(block);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys.AsBytes());
        }
    }

    /// <summary>Decrypts one 16-byte block in place (the n = 1 case of RFC 5649).</summary>
    /// <param name="kek">A 16, 24 or 32-byte key (validated by the caller).</param>
    /// <param name="block">The block.</param>
    public static void DecryptBlock(ReadOnlySpan<byte> kek, Span<byte> block)
    {
        AesRoundKeys keys = default;
        try
        {
            int rounds = AesNiKeySchedule.Expand(kek, ref keys);
            AesNiKeySchedule.InvertForDecryption(ref keys, rounds);
            Vector128<byte> state = Vector128.Create<byte>(block) ^ keys[0];
            state = DecryptMiddleRounds(state, in keys, rounds);
            X86Aes.DecryptLast(state, keys[rounds]).CopyTo(block);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(keys.AsBytes());
        }
    }

    private static ulong WrapCore(ref readonly AesRoundKeys keys, int rounds, ulong a, Span<byte> blocks)
    {
        int n = blocks.Length / 8;
        ref ulong r = ref Unsafe.As<byte, ulong>(ref MemoryMarshal.GetReference(blocks));

        // Whitening with round key 0 is applied to the next input as soon as it is known:
        // R[i] in advance, A inside the last round (AESENCLAST xors its key last).
        ulong first0 = keys[0].AsUInt64().GetElement(0);
        ulong first1 = keys[0].AsUInt64().GetElement(1);
        Vector128<ulong> lastRound = keys[rounds].AsUInt64();

        // Last round key for step t: A(t) = MSB(B) ^ t, then whitened for the next step.
        Vector128<ulong> lastRoundBase = Vector128.Create(lastRound.GetElement(0) ^ first0, lastRound.GetElement(1));

        Vector128<byte> state = Vector128.Create(a ^ first0, r ^ first1).AsByte();
        Vector128<byte> output = default;
        ulong t = 0;
        for (int j = 0; j < 6; j++)
        {
            for (int i = 0; i < n; i++)
            {
                t++;
                state = EncryptMiddleRounds(state, in keys, rounds);
                Vector128<ulong> finalKey = lastRoundBase ^ Vector128.CreateScalar(BinaryPrimitives.ReverseEndianness(t));
                output = X86Aes.EncryptLast(state, finalKey.AsByte());

                // output = [A(t) ^ first0, R[i]]: store R[i], start the next step on the next block.
                Unsafe.Add(ref r, i) = output.AsUInt64().GetElement(1);
                int next = i + 1 == n ? 0 : i + 1;
                Vector128<ulong> nextBlock = Vector128.CreateScalar(Unsafe.Add(ref r, next) ^ first1);
                state = Sse2.UnpackLow(output.AsUInt64(), nextBlock).AsByte();
            }
        }

        return output.AsUInt64().GetElement(0) ^ first0;
    }

    private static ulong UnwrapCore(ref readonly AesRoundKeys keys, int rounds, ulong a, Span<byte> head, ref ulong last)
    {
        int n = head.Length / 8 + 1;
        ref ulong r = ref Unsafe.As<byte, ulong>(ref MemoryMarshal.GetReference(head));

        // Decryption keys: keys[0] is the encryption schedule's last key, keys[rounds] its first.
        ulong first0 = keys[0].AsUInt64().GetElement(0);
        ulong first1 = keys[0].AsUInt64().GetElement(1);
        Vector128<ulong> lastRound = keys[rounds].AsUInt64();
        Vector128<ulong> lastRoundBase = Vector128.Create(lastRound.GetElement(0) ^ first0, lastRound.GetElement(1));

        // Step t decrypts (A ^ t) | R[i]; t runs from 6n down to 1, i from n down to 1.
        ulong t = 6UL * (ulong)n;
        Vector128<byte> state = Vector128.Create(a ^ BinaryPrimitives.ReverseEndianness(t) ^ first0, last ^ first1).AsByte();
        Vector128<byte> output = default;
        for (int j = 5; j >= 0; j--)
        {
            for (int i = n - 1; i >= 0; i--)
            {
                t--;
                state = DecryptMiddleRounds(state, in keys, rounds);

                // Fold the next step's t (0 after the last step) and whitening into the last round.
                Vector128<ulong> finalKey = lastRoundBase ^ Vector128.CreateScalar(BinaryPrimitives.ReverseEndianness(t));
                output = X86Aes.DecryptLast(state, finalKey.AsByte());

                ref ulong current = ref (i == n - 1 ? ref last : ref Unsafe.Add(ref r, i));
                current = output.AsUInt64().GetElement(1);
                ref ulong next = ref (i == 0 ? ref last : ref Unsafe.Add(ref r, i - 1));
                Vector128<ulong> nextBlock = Vector128.CreateScalar(next ^ first1);
                state = Sse2.UnpackLow(output.AsUInt64(), nextBlock).AsByte();
            }
        }

        return output.AsUInt64().GetElement(0) ^ first0;
    }

    /// <summary>Rounds 1 to <paramref name="rounds"/> - 1; the branches on the round count are perfectly predicted.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> EncryptMiddleRounds(Vector128<byte> state, ref readonly AesRoundKeys keys, int rounds)
    {
        state = X86Aes.Encrypt(state, keys[1]);
        state = X86Aes.Encrypt(state, keys[2]);
        state = X86Aes.Encrypt(state, keys[3]);
        state = X86Aes.Encrypt(state, keys[4]);
        state = X86Aes.Encrypt(state, keys[5]);
        state = X86Aes.Encrypt(state, keys[6]);
        state = X86Aes.Encrypt(state, keys[7]);
        state = X86Aes.Encrypt(state, keys[8]);
        state = X86Aes.Encrypt(state, keys[9]);
        if (rounds > 10)
        {
            state = X86Aes.Encrypt(state, keys[10]);
            state = X86Aes.Encrypt(state, keys[11]);
            if (rounds > 12)
            {
                state = X86Aes.Encrypt(state, keys[12]);
                state = X86Aes.Encrypt(state, keys[13]);
            }
        }

        return state;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> DecryptMiddleRounds(Vector128<byte> state, ref readonly AesRoundKeys keys, int rounds)
    {
        state = X86Aes.Decrypt(state, keys[1]);
        state = X86Aes.Decrypt(state, keys[2]);
        state = X86Aes.Decrypt(state, keys[3]);
        state = X86Aes.Decrypt(state, keys[4]);
        state = X86Aes.Decrypt(state, keys[5]);
        state = X86Aes.Decrypt(state, keys[6]);
        state = X86Aes.Decrypt(state, keys[7]);
        state = X86Aes.Decrypt(state, keys[8]);
        state = X86Aes.Decrypt(state, keys[9]);
        if (rounds > 10)
        {
            state = X86Aes.Decrypt(state, keys[10]);
            state = X86Aes.Decrypt(state, keys[11]);
            if (rounds > 12)
            {
                state = X86Aes.Decrypt(state, keys[12]);
                state = X86Aes.Decrypt(state, keys[13]);
            }
        }

        return state;
    }
}
