namespace KmsImport.Sdk.Cryptography;

/// <summary>
/// The argument checks RFC 5649 key wrap with padding has whatever its block cipher (AES in
/// <see cref="AesKeyWrapPad"/>, SM4 in <see cref="Sm4KeyWrapPad"/>): stated once, with the caller's name and bounds in the messages.
/// </summary>
internal static class Rfc5649Arguments
{
    private const int SemiblockSize = Rfc5649Framing.SemiblockSize;

    public static void ValidatePlaintextLength(int length, int maxPlaintextLength, string typeName)
    {
        if (length == 0)
        {
            throw new ArgumentException("The plaintext is empty; RFC 5649 wraps 1 or more bytes.", "plaintext");
        }

        if (length > maxPlaintextLength)
        {
            throw new ArgumentException(
                $"The plaintext is {length} bytes; this implementation wraps at most {maxPlaintextLength} bytes ({typeName}.MaxPlaintextLength).",
                "plaintext");
        }
    }

    public static void ValidateWrappedLength(int length, int maxWrappedLength, string typeName)
    {
        if (length < 2 * SemiblockSize || length % SemiblockSize != 0)
        {
            throw new ArgumentException(
                $"The wrapped key is {length} bytes; an RFC 5649 wrap is a multiple of 8 bytes and at least 16. Check that the whole file was read as binary (not Base64 text).",
                "wrapped");
        }

        if (length > maxWrappedLength)
        {
            throw new ArgumentException(
                $"The wrapped key is {length} bytes; this implementation unwraps at most {maxWrappedLength} bytes ({typeName}.MaxWrappedLength).",
                "wrapped");
        }
    }

    public static void ValidateDestinationLength(int destinationLength, int plaintextLength, int wrappedLength)
    {
        if (destinationLength < wrappedLength)
        {
            throw new ArgumentException(
                $"The destination is {destinationLength} bytes; a wrap of {plaintextLength} bytes needs {wrappedLength}. Size it with GetWrappedLength.",
                "destination");
        }
    }

    public static void ThrowIfOverlapping(ReadOnlySpan<byte> destination, ReadOnlySpan<byte> other, string otherName)
    {
        if (destination.Overlaps(other))
        {
            throw new ArgumentException($"The destination overlaps {otherName}; use separate buffers.", "destination");
        }
    }
}
