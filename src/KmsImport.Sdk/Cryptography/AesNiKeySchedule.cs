using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;
using X86Aes = System.Runtime.Intrinsics.X86.Aes;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// AES key expansion with AESKEYGENASSIST (the sequences of Intel's AES-NI white paper, Gueron 2010)
/// and the equivalent inverse cipher's schedule for AESDEC.
/// </summary>
internal static class AesNiKeySchedule
{
    /// <summary>Expands <paramref name="key"/> into <paramref name="keys"/>.</summary>
    /// <param name="key">16, 24 or 32 bytes.</param>
    /// <param name="keys">Receives rounds + 1 round keys.</param>
    /// <returns>The number of rounds: 10, 12 or 14.</returns>
    public static int Expand(ReadOnlySpan<byte> key, ref AesRoundKeys keys)
    {
        switch (key.Length)
        {
            case 16:
                Expand128(key, ref keys);
                return 10;
            case 24:
                Expand192(key, ref keys);
                return 12;
            case 32:
                Expand256(key, ref keys);
                return 14;
            default:
                throw new ArgumentException("The key must be 16, 24 or 32 bytes.", nameof(key));
        }
    }

    /// <summary>
    /// Turns an encryption schedule into the one AESDEC expects: reversed, with InvMixColumns applied
    /// to the middle keys (FIPS 197 section 5.3.5, the equivalent inverse cipher).
    /// </summary>
    /// <param name="keys">The schedule, changed in place.</param>
    /// <param name="rounds">10, 12 or 14.</param>
    public static void InvertForDecryption(ref AesRoundKeys keys, int rounds)
    {
        Span<Vector128<byte>> k = keys;
        (k[0], k[rounds]) = (k[rounds], k[0]);
        for (int i = 1, j = rounds - 1; i <= j; i++, j--)
        {
            Vector128<byte> low = X86Aes.InverseMixColumns(k[i]);
            k[i] = i == j ? low : X86Aes.InverseMixColumns(k[j]);
            k[j] = low;
        }
    }

    private static void Expand128(ReadOnlySpan<byte> key, ref AesRoundKeys keys)
    {
        Vector128<byte> k = Vector128.Create<byte>(key);
        keys[0] = k;
        k = Next128(k, X86Aes.KeygenAssist(k, 0x01));
        keys[1] = k;
        k = Next128(k, X86Aes.KeygenAssist(k, 0x02));
        keys[2] = k;
        k = Next128(k, X86Aes.KeygenAssist(k, 0x04));
        keys[3] = k;
        k = Next128(k, X86Aes.KeygenAssist(k, 0x08));
        keys[4] = k;
        k = Next128(k, X86Aes.KeygenAssist(k, 0x10));
        keys[5] = k;
        k = Next128(k, X86Aes.KeygenAssist(k, 0x20));
        keys[6] = k;
        k = Next128(k, X86Aes.KeygenAssist(k, 0x40));
        keys[7] = k;
        k = Next128(k, X86Aes.KeygenAssist(k, 0x80));
        keys[8] = k;
        k = Next128(k, X86Aes.KeygenAssist(k, 0x1B));
        keys[9] = k;
        k = Next128(k, X86Aes.KeygenAssist(k, 0x36));
        keys[10] = k;
    }

    private static void Expand192(ReadOnlySpan<byte> key, ref AesRoundKeys keys)
    {
        // Six words per step: temp1 holds four, the low half of temp3 the other two; the round
        // keys straddle them, hence the 64-bit shuffles.
        Vector128<byte> temp1 = Vector128.Create<byte>(key);
        Vector128<byte> temp3 = Vector128.CreateScalar(MemoryMarshal.Read<ulong>(key[16..])).AsByte();
        keys[0] = temp1;
        Vector128<byte> saved = temp3;

        Assist192(ref temp1, X86Aes.KeygenAssist(temp3, 0x01), ref temp3);
        keys[1] = Pick(saved, temp1, 0);
        keys[2] = Pick(temp1, temp3, 1);
        Assist192(ref temp1, X86Aes.KeygenAssist(temp3, 0x02), ref temp3);
        keys[3] = temp1;
        saved = temp3;
        Assist192(ref temp1, X86Aes.KeygenAssist(temp3, 0x04), ref temp3);
        keys[4] = Pick(saved, temp1, 0);
        keys[5] = Pick(temp1, temp3, 1);
        Assist192(ref temp1, X86Aes.KeygenAssist(temp3, 0x08), ref temp3);
        keys[6] = temp1;
        saved = temp3;
        Assist192(ref temp1, X86Aes.KeygenAssist(temp3, 0x10), ref temp3);
        keys[7] = Pick(saved, temp1, 0);
        keys[8] = Pick(temp1, temp3, 1);
        Assist192(ref temp1, X86Aes.KeygenAssist(temp3, 0x20), ref temp3);
        keys[9] = temp1;
        saved = temp3;
        Assist192(ref temp1, X86Aes.KeygenAssist(temp3, 0x40), ref temp3);
        keys[10] = Pick(saved, temp1, 0);
        keys[11] = Pick(temp1, temp3, 1);
        Assist192(ref temp1, X86Aes.KeygenAssist(temp3, 0x80), ref temp3);
        keys[12] = temp1;
    }

    private static void Expand256(ReadOnlySpan<byte> key, ref AesRoundKeys keys)
    {
        Vector128<byte> even = Vector128.Create<byte>(key);
        Vector128<byte> odd = Vector128.Create<byte>(key[16..]);
        keys[0] = even;
        keys[1] = odd;
        even = Next256Even(even, odd, 0x01);
        keys[2] = even;
        odd = Next256Odd(odd, even);
        keys[3] = odd;
        even = Next256Even(even, odd, 0x02);
        keys[4] = even;
        odd = Next256Odd(odd, even);
        keys[5] = odd;
        even = Next256Even(even, odd, 0x04);
        keys[6] = even;
        odd = Next256Odd(odd, even);
        keys[7] = odd;
        even = Next256Even(even, odd, 0x08);
        keys[8] = even;
        odd = Next256Odd(odd, even);
        keys[9] = odd;
        even = Next256Even(even, odd, 0x10);
        keys[10] = even;
        odd = Next256Odd(odd, even);
        keys[11] = odd;
        even = Next256Even(even, odd, 0x20);
        keys[12] = even;
        odd = Next256Odd(odd, even);
        keys[13] = odd;
        even = Next256Even(even, odd, 0x40);
        keys[14] = even;
    }

    /// <summary>w0, w0^w1, w0^w1^w2, w0^w1^w2^w3: each word of a new round key xors all the earlier ones.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> PrefixXor(Vector128<byte> k)
    {
        k ^= Sse2.ShiftLeftLogical128BitLane(k, 4);
        return k ^ Sse2.ShiftLeftLogical128BitLane(k, 8);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Next128(Vector128<byte> k, Vector128<byte> assist) =>
        PrefixXor(k) ^ Sse2.Shuffle(assist.AsUInt32(), 0xFF).AsByte(); // RotWord(SubWord(w3)) ^ rcon

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Next256Even(Vector128<byte> even, Vector128<byte> odd, [ConstantExpected] byte rcon) =>
        PrefixXor(even) ^ Sse2.Shuffle(X86Aes.KeygenAssist(odd, rcon).AsUInt32(), 0xFF).AsByte();

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Next256Odd(Vector128<byte> odd, Vector128<byte> even) =>
        PrefixXor(odd) ^ Sse2.Shuffle(X86Aes.KeygenAssist(even, 0x00).AsUInt32(), 0xAA).AsByte(); // SubWord(w3), no rotation

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Assist192(ref Vector128<byte> temp1, Vector128<byte> assist, ref Vector128<byte> temp3)
    {
        Vector128<byte> broadcast = Sse2.Shuffle(assist.AsUInt32(), 0x55).AsByte(); // RotWord(SubWord(w1 of temp3)) ^ rcon
        temp1 = PrefixXor(temp1) ^ broadcast;
        broadcast = Sse2.Shuffle(temp1.AsUInt32(), 0xFF).AsByte();
        temp3 = temp3 ^ Sse2.ShiftLeftLogical128BitLane(temp3, 4) ^ broadcast;
    }

    /// <summary>The 64-bit halves [a.lo, b.lo] (control 0) or [a.hi, b.lo] (control 1), as SHUFPD.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector128<byte> Pick(Vector128<byte> a, Vector128<byte> b, [ConstantExpected] byte control) =>
        Sse2.Shuffle(a.AsDouble(), b.AsDouble(), control).AsByte();
}
