using System.Buffers;

namespace KmsImport.Sdk.Cryptography;

/// <summary>Tells key files that are text (PEM, Base64) from binary ones, for the loaders that accept both, and finds what breaks Base64 text.</summary>
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

    /// <summary>The position of the first character that is neither Base64 nor whitespace, or -1: where Base64 text breaks.</summary>
    public static int IndexOfNonBase64(ReadOnlySpan<char> text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (!(char.IsAsciiLetterOrDigit(c) || c == '+' || c == '/' || c == '=' || char.IsWhiteSpace(c)))
            {
                return i;
            }
        }

        return -1;
    }
}
