using System.Security.Cryptography;

namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// AES key wrap with padding (RFC 5649, alternative initial value <c>A65959A6</c>), the
/// <c>openssl enc -id-aes256-wrap-pad -iv A65959A6</c> step of the console guide.
/// </summary>
/// <remarks>PLACEHOLDER implementation over .NET's Aes; replaced by the fast implementation.</remarks>
public static class AesKeyWrapPad
{
    /// <summary>The length of the wrapped output for a plaintext of <paramref name="plaintextLength"/> bytes.</summary>
    /// <param name="plaintextLength">The plaintext length, at least 1.</param>
    /// <returns>The wrapped length.</returns>
    public static int GetWrappedLength(int plaintextLength) => Aes.GetKeyWrapPaddedLength(plaintextLength);

    /// <summary>Wraps <paramref name="plaintext"/> under <paramref name="kek"/> into <paramref name="destination"/>.</summary>
    /// <param name="kek">A 16, 24 or 32-byte key-encryption key.</param>
    /// <param name="plaintext">The key to wrap.</param>
    /// <param name="destination">Receives the wrapped key.</param>
    /// <returns>The number of bytes written.</returns>
    public static int Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> plaintext, Span<byte> destination)
    {
        using var aes = Aes.Create();
        aes.Key = kek.ToArray();
        int length = GetWrappedLength(plaintext.Length);
        aes.EncryptKeyWrapPadded(plaintext, destination[..length]);
        return length;
    }

    /// <summary>Wraps <paramref name="plaintext"/> under <paramref name="kek"/>.</summary>
    /// <param name="kek">A 16, 24 or 32-byte key-encryption key.</param>
    /// <param name="plaintext">The key to wrap.</param>
    /// <returns>The wrapped key.</returns>
    public static byte[] Wrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> plaintext)
    {
        var result = new byte[GetWrappedLength(plaintext.Length)];
        Wrap(kek, plaintext, result);
        return result;
    }

    /// <summary>Unwraps <paramref name="wrapped"/> under <paramref name="kek"/>.</summary>
    /// <param name="kek">A 16, 24 or 32-byte key-encryption key.</param>
    /// <param name="wrapped">The wrapped key.</param>
    /// <param name="destination">Receives the plaintext.</param>
    /// <param name="bytesWritten">The plaintext length.</param>
    /// <returns>False only when <paramref name="destination"/> is too small.</returns>
    public static bool TryUnwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped, Span<byte> destination, out int bytesWritten)
    {
        byte[] plain = Unwrap(kek, wrapped);
        try
        {
            if (plain.Length > destination.Length)
            {
                bytesWritten = 0;
                return false;
            }

            plain.CopyTo(destination);
            bytesWritten = plain.Length;
            return true;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(plain);
        }
    }

    /// <summary>Unwraps <paramref name="wrapped"/> under <paramref name="kek"/>.</summary>
    /// <param name="kek">A 16, 24 or 32-byte key-encryption key.</param>
    /// <param name="wrapped">The wrapped key.</param>
    /// <returns>The plaintext.</returns>
    public static byte[] Unwrap(ReadOnlySpan<byte> kek, ReadOnlySpan<byte> wrapped)
    {
        using var aes = Aes.Create();
        aes.Key = kek.ToArray();
        return aes.DecryptKeyWrapPadded(wrapped);
    }
}
