using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// AES key wrap with padding (RFC 5649, alternative initial value <c>A65959A6</c> followed by the
/// 32-bit message length), the <c>openssl enc -id-aes256-wrap-pad -iv A65959A6</c> step of the
/// console guide, shaped like .NET's <see cref="System.Security.Cryptography.Aes.EncryptKeyWrapPadded(ReadOnlySpan{byte})"/>.
/// </summary>
/// <remarks>
/// <para>
/// Keys of 16, 24 or 32 bytes (AES-128/192/256). Uses AES-NI where the processor has it (a key
/// schedule on the stack, the wrap running in place on the destination) and the platform's AES
/// otherwise; both produce identical output. The span overloads allocate nothing on the AES-NI path.
/// </para>
/// <para>
/// The expanded key schedule and the intermediate state are zeroed before every method returns
/// or throws. A failed unwrap leaves no plaintext in the destination.
/// </para>
/// <para>
/// Unlike the OpenSSL 3.0 command line, which silently splits input above 4,096 bytes into chunks
/// that nobody can unwrap, any length up to <see cref="MaxPlaintextLength"/> wraps as one message.
/// </para>
/// </remarks>
public static class AesKeyWrapPad
{
    /// <summary>
    /// The largest plaintext this class wraps: 16 MiB. That is far above any private key (an
    /// RSA-16384 PKCS#8 key is under 10 KB) and bounds the work of one call to about 12.6 million
    /// AES block operations (well under a second with AES-NI). RFC 5649 itself allows up to
    /// 2^32 - 1 bytes; larger inputs get an <see cref="ArgumentException"/> that names this bound.
    /// </summary>
    public const int MaxPlaintextLength = 16 * 1024 * 1024;

    /// <summary>The largest wrapped input <see cref="Unwrap(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> accepts: the wrap of <see cref="MaxPlaintextLength"/> bytes.</summary>
    public const int MaxWrappedLength = MaxPlaintextLength + SemiblockSize;

    private const int SemiblockSize = Rfc5649Framing.SemiblockSize;
    private const string IntegrityFailure =
        "The wrapped key failed its RFC 5649 integrity check: the key-encryption key is wrong, or the data was altered or is not an AES key wrap with padding.";

    /// <summary>The AES implementation in use; tests pin the fallback through the internal overloads.</summary>
    internal enum Engine
    {
        /// <summary>AES-NI if the processor has it, otherwise the platform's AES.</summary>
        Auto,

        /// <summary>The platform's AES (<see cref="PlatformAesKeyWrap"/>), the fallback where AES-NI is missing.</summary>
        Platform,
    }

    /// <summary>Whether this process uses the AES-NI engine.</summary>
    internal static bool IsHardwareAccelerated => AesNiKeyWrap.IsSupported;

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

    /// <summary>Wraps <paramref name="plaintext"/> under <paramref name="kek"/> into <paramref name="destination"/>.</summary>
    /// <param name="kek">A 16, 24 or 32-byte key-encryption key.</param>
    /// <param name="plaintext">The key to wrap, 1 to <see cref="MaxPlaintextLength"/> bytes.</param>
    /// <param name="destination">Receives the wrapped key; at least <see cref="GetWrappedLength"/> bytes.</param>
    /// <returns>The number of bytes written.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="kek"/> is not 16, 24 or 32 bytes; <paramref name="plaintext"/> is empty or longer than
    /// <see cref="MaxPlaintextLength"/>; <paramref name="destination"/> is too short or overlaps
    /// <paramref name="kek"/> or <paramref name="plaintext"/>.
    /// </exception>
    public static int Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> plaintext, Span<byte> destination) =>
        Wrap(kek, plaintext, destination, Engine.Auto);

    /// <summary>Wraps <paramref name="plaintext"/> under <paramref name="kek"/>.</summary>
    /// <param name="kek">A 16, 24 or 32-byte key-encryption key.</param>
    /// <param name="plaintext">The key to wrap, 1 to <see cref="MaxPlaintextLength"/> bytes.</param>
    /// <returns>The wrapped key.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="kek"/> is not 16, 24 or 32 bytes, or <paramref name="plaintext"/> is empty or
    /// longer than <see cref="MaxPlaintextLength"/>.
    /// </exception>
    public static byte[] Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> plaintext)
    {
        ValidateKek(kek);
        Rfc5649Arguments.ValidatePlaintextLength(plaintext.Length, MaxPlaintextLength, nameof(AesKeyWrapPad));
        byte[] result = new byte[Rfc5649Framing.WrappedLength(plaintext.Length)];
        Wrap(kek, plaintext, result, Engine.Auto);
        return result;
    }

    /// <summary>Unwraps <paramref name="wrapped"/> under <paramref name="kek"/> into <paramref name="destination"/>.</summary>
    /// <param name="kek">A 16, 24 or 32-byte key-encryption key.</param>
    /// <param name="wrapped">The wrapped key: a multiple of 8 bytes, from 16 to <see cref="MaxWrappedLength"/>.</param>
    /// <param name="destination">Receives the plaintext; <c>wrapped.Length - 8</c> bytes always suffice.</param>
    /// <param name="bytesWritten">The plaintext length, or 0 when the method returns false.</param>
    /// <returns>
    /// False only when <paramref name="destination"/> is too small for the plaintext (any part of it
    /// used as scratch space is zeroed then); true on success.
    /// </returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="kek"/> is not 16, 24 or 32 bytes; the length of <paramref name="wrapped"/> is not a
    /// multiple of 8 from 16 to <see cref="MaxWrappedLength"/>; <paramref name="destination"/> overlaps
    /// <paramref name="kek"/> or <paramref name="wrapped"/>.
    /// </exception>
    /// <exception cref="CryptographicException">
    /// The integrity check failed: wrong key, or the wrapped data was altered or is not an RFC 5649 wrap.
    /// </exception>
    public static bool TryUnwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped, Span<byte> destination, out int bytesWritten) =>
        TryUnwrap(kek, wrapped, destination, out bytesWritten, Engine.Auto);

    /// <summary>Unwraps <paramref name="wrapped"/> under <paramref name="kek"/>.</summary>
    /// <param name="kek">A 16, 24 or 32-byte key-encryption key.</param>
    /// <param name="wrapped">The wrapped key: a multiple of 8 bytes, from 16 to <see cref="MaxWrappedLength"/>.</param>
    /// <returns>The plaintext; the caller owns it and should zero it after use.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="kek"/> is not 16, 24 or 32 bytes, or the length of <paramref name="wrapped"/> is not
    /// a multiple of 8 from 16 to <see cref="MaxWrappedLength"/>.
    /// </exception>
    /// <exception cref="CryptographicException">
    /// The integrity check failed: wrong key, or the wrapped data was altered or is not an RFC 5649 wrap.
    /// </exception>
    public static byte[] Unwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped) => Unwrap(kek, wrapped, Engine.Auto);

    /// <summary><see cref="Wrap(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte})"/> on a chosen engine.</summary>
    internal static int Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> plaintext, Span<byte> destination, Engine engine)
    {
        ValidateKek(kek);
        Rfc5649Arguments.ValidatePlaintextLength(plaintext.Length, MaxPlaintextLength, nameof(AesKeyWrapPad));
        int wrappedLength = Rfc5649Framing.WrappedLength(plaintext.Length);
        Rfc5649Arguments.ValidateDestinationLength(destination.Length, plaintext.Length, wrappedLength);
        Rfc5649Arguments.ThrowIfOverlapping(destination, kek, nameof(kek));
        Rfc5649Arguments.ThrowIfOverlapping(destination, plaintext, nameof(plaintext));

        Span<byte> output = destination[..wrappedLength];
        bool useAesNi = engine == Engine.Auto && AesNiKeyWrap.IsSupported;
        bool succeeded = false;
        try
        {
            Rfc5649Framing.WriteFrame(plaintext, output);

            if (wrappedLength == 2 * SemiblockSize)
            {
                // n = 1: a single AES-ECB block, AIV || P (RFC 5649 section 4.1).
                if (useAesNi)
                {
                    AesNiKeyWrap.EncryptBlock(kek, output);
                }
                else
                {
                    PlatformAesKeyWrap.EncryptBlock(kek, output);
                }
            }
            else
            {
                ulong a = MemoryMarshal.Read<ulong>(output);
                Span<byte> blocks = output[SemiblockSize..];
                a = useAesNi ? AesNiKeyWrap.Wrap(kek, a, blocks) : PlatformAesKeyWrap.Wrap(kek, a, blocks);
                MemoryMarshal.Write(output, a);
            }

            succeeded = true;
            return wrappedLength;
        }
        finally
        {
            if (!succeeded)
            {
                // Never leave the copied plaintext behind.
                CryptographicOperations.ZeroMemory(output);
            }
        }
    }

    /// <summary><see cref="TryUnwrap(ReadOnlySpan{byte}, ReadOnlySpan{byte}, Span{byte}, out int)"/> on a chosen engine.</summary>
    internal static bool TryUnwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped, Span<byte> destination, out int bytesWritten, Engine engine)
    {
        ValidateKek(kek);
        Rfc5649Arguments.ValidateWrappedLength(wrapped.Length, MaxWrappedLength, nameof(AesKeyWrapPad));
        Rfc5649Arguments.ThrowIfOverlapping(destination, kek, nameof(kek));
        Rfc5649Arguments.ThrowIfOverlapping(destination, wrapped, nameof(wrapped));

        // A valid message is longer than 8(n - 1) bytes, so a destination of that size or less can never hold it.
        int headLength = wrapped.Length - 2 * SemiblockSize;
        if (destination.Length <= headLength)
        {
            bytesWritten = 0;
            return false;
        }

        bool useAesNi = engine == Engine.Auto && AesNiKeyWrap.IsSupported;
        Span<byte> head = destination[..headLength];

        // The last semiblock holds the padding, so it stays off the destination until it is checked.
        ulong last = 0;
        Span<byte> single = stackalloc byte[2 * SemiblockSize];
        bool succeeded = false;
        try
        {
            ulong a;
            if (wrapped.Length == 2 * SemiblockSize)
            {
                wrapped.CopyTo(single);
                if (useAesNi)
                {
                    AesNiKeyWrap.DecryptBlock(kek, single);
                }
                else
                {
                    PlatformAesKeyWrap.DecryptBlock(kek, single);
                }

                a = MemoryMarshal.Read<ulong>(single);
                last = MemoryMarshal.Read<ulong>(single[SemiblockSize..]);
            }
            else
            {
                wrapped.Slice(SemiblockSize, headLength).CopyTo(head);
                last = MemoryMarshal.Read<ulong>(wrapped[^SemiblockSize..]);
                a = MemoryMarshal.Read<ulong>(wrapped);
                a = useAesNi
                    ? AesNiKeyWrap.Unwrap(kek, a, head, ref last)
                    : PlatformAesKeyWrap.Unwrap(kek, a, head, ref last);
            }

            int length = Rfc5649Framing.CheckIntegrity(a, last, wrapped.Length / SemiblockSize - 1, IntegrityFailure);
            int lastLength = length - headLength;
            if (length > destination.Length)
            {
                bytesWritten = 0;
                return false;
            }

            Span<byte> lastBytes = MemoryMarshal.AsBytes(new Span<ulong>(ref last));
            lastBytes[..lastLength].CopyTo(destination[headLength..]);
            bytesWritten = length;
            succeeded = true;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(new Span<ulong>(ref last)));
            CryptographicOperations.ZeroMemory(single);
            if (!succeeded)
            {
                CryptographicOperations.ZeroMemory(head);
            }
        }
    }

    /// <summary><see cref="Unwrap(ReadOnlySpan{byte}, ReadOnlySpan{byte})"/> on a chosen engine.</summary>
    internal static byte[] Unwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped, Engine engine)
    {
        ValidateKek(kek);
        Rfc5649Arguments.ValidateWrappedLength(wrapped.Length, MaxWrappedLength, nameof(AesKeyWrapPad));
        byte[] buffer = new byte[wrapped.Length - SemiblockSize];
        byte[]? result = null;
        try
        {
            // Always fits: the plaintext is at most 8n bytes.
            TryUnwrap(kek, wrapped, buffer, out int written, engine);
            result = written == buffer.Length ? buffer : buffer.AsSpan(0, written).ToArray();
            return result;
        }
        finally
        {
            // A trimmed copy or a failure leaves plaintext in the buffer nobody will see again.
            if (!ReferenceEquals(result, buffer))
            {
                CryptographicOperations.ZeroMemory(buffer);
            }
        }
    }

    private static void ValidateKek(ReadOnlySpan<byte> kek)
    {
        if (kek.Length is not (16 or 24 or 32))
        {
            throw new ArgumentException(
                $"The key-encryption key is {kek.Length} bytes; AES key wrap takes 16, 24 or 32 bytes (AES-128, AES-192, AES-256).",
                nameof(kek));
        }
    }
}
