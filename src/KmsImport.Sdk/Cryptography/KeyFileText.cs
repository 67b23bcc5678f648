using System.Buffers;

namespace KmsImport.Sdk.Cryptography;

/// <summary>Tells key files that are text (PEM, Base64) from binary ones, for the loaders that accept both.</summary>
internal static class KeyFileText
{
    // Printable ASCII and the whitespace controls tab to carriage return.
    private static readonly SearchValues<byte> s_textBytes = SearchValues.Create("\t\n\v\f\r !\"#$%&'()*+,-./0123456789:;<=>?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_`abcdefghijklmnopqrstuvwxyz{|}~"u8);

    /// <summary>Whether <paramref name="data"/> is ASCII text; <paramref name="text"/> is it without a UTF-8 byte order mark.</summary>
    /// <remarks>Callers report a refusal without byte values: the input may be secret material passed in the wrong place.</remarks>
    public static bool TryGetText(ReadOnlySpan<byte> data, out ReadOnlySpan<byte> text)
    {
        text = data.StartsWith("\uFEFF"u8) ? data[3..] : data;
        return !text.ContainsAnyExcept(s_textBytes);
    }
}
