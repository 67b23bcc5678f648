using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// The fallback engine behind <see cref="AesKeyWrapPad"/> where AES-NI is missing (e.g. Arm64):
/// the same W and W⁻¹ loops over the platform's AES in ECB mode (OpenSSL, CNG or Apple's
/// CommonCrypto), one block at a time through a reused transform.
/// </summary>
/// <remarks>
/// Chosen over a managed table-based AES (BouncyCastle's <c>AesEngine</c>) because the platform's
/// AES is constant-time where hardware AES is missing (OpenSSL's vector-permutation AES) and the
/// platform owns and clears its key schedule; ours would sit in unzeroable heap arrays.
/// It is several times slower than the AES-NI path, which does not matter next to an HTTPS call.
/// </remarks>
internal static class PlatformAesKeyWrap
{
    private const int BlockSize = 16;

    /// <summary>Runs W in place; see <see cref="AesNiKeyWrap.Wrap"/>.</summary>
    public static ulong Wrap(ReadOnlySpan<byte> kek, ulong a, Span<byte> blocks)
    {
        int n = blocks.Length / 8;
        Span<ulong> r = MemoryMarshal.Cast<byte, ulong>(blocks);

        // Input block at [0, 16), output block at [16, 32); zeroed before the array is dropped.
        byte[] buffer = new byte[2 * BlockSize];
        try
        {
            using System.Security.Cryptography.Aes aes = CreateAes(kek);
            using ICryptoTransform encryptor = aes.CreateEncryptor();
            ulong t = 0;
            for (int j = 0; j < 6; j++)
            {
                for (int i = 0; i < n; i++)
                {
                    t++;
                    MemoryMarshal.Write(buffer, a);
                    MemoryMarshal.Write(buffer.AsSpan(8), r[i]);
                    Transform(encryptor, buffer);
                    a = MemoryMarshal.Read<ulong>(buffer.AsSpan(BlockSize)) ^ BigEndian(t);
                    r[i] = MemoryMarshal.Read<ulong>(buffer.AsSpan(BlockSize + 8));
                }
            }

            return a;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>Runs W⁻¹ in place; see <see cref="AesNiKeyWrap.Unwrap"/>.</summary>
    public static ulong Unwrap(ReadOnlySpan<byte> kek, ulong a, Span<byte> head, ref ulong last)
    {
        int n = head.Length / 8 + 1;
        Span<ulong> r = MemoryMarshal.Cast<byte, ulong>(head);
        byte[] buffer = new byte[2 * BlockSize];
        try
        {
            using System.Security.Cryptography.Aes aes = CreateAes(kek);
            using ICryptoTransform decryptor = aes.CreateDecryptor();
            ulong t = 6UL * (ulong)n;
            for (int j = 5; j >= 0; j--)
            {
                for (int i = n - 1; i >= 0; i--)
                {
                    ref ulong block = ref (i == n - 1 ? ref last : ref r[i]);
                    MemoryMarshal.Write(buffer, a ^ BigEndian(t));
                    MemoryMarshal.Write(buffer.AsSpan(8), block);
                    Transform(decryptor, buffer);
                    a = MemoryMarshal.Read<ulong>(buffer.AsSpan(BlockSize));
                    block = MemoryMarshal.Read<ulong>(buffer.AsSpan(BlockSize + 8));
                    t--;
                }
            }

            return a;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    /// <summary>Encrypts one 16-byte block in place.</summary>
    public static void EncryptBlock(ReadOnlySpan<byte> kek, Span<byte> block)
    {
        using System.Security.Cryptography.Aes aes = CreateAes(kek);
        aes.EncryptEcb(block, block, PaddingMode.None);
    }

    /// <summary>Decrypts one 16-byte block in place.</summary>
    public static void DecryptBlock(ReadOnlySpan<byte> kek, Span<byte> block)
    {
        using System.Security.Cryptography.Aes aes = CreateAes(kek);
        aes.DecryptEcb(block, block, PaddingMode.None);
    }

    private static System.Security.Cryptography.Aes CreateAes(ReadOnlySpan<byte> kek)
    {
        var aes = System.Security.Cryptography.Aes.Create();
        try
        {
            aes.Mode = CipherMode.ECB;
            aes.Padding = PaddingMode.None;

            // SetKey copies into memory the Aes object zeroes on Dispose.
            aes.SetKey(kek);
            return aes;
        }
        catch
        {
            aes.Dispose();
            throw;
        }
    }

    private static void Transform(ICryptoTransform transform, byte[] buffer)
    {
        int written = transform.TransformBlock(buffer, 0, BlockSize, buffer, BlockSize);
        if (written != BlockSize)
        {
            throw new CryptographicException("The platform AES transform returned a partial block.");
        }
    }

    /// <summary>t as the 8 big-endian bytes RFC 3394 xors into A, read back in memory order.</summary>
    private static ulong BigEndian(ulong t) =>
        BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(t) : t;
}
