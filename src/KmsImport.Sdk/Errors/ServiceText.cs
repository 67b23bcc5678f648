using System.Globalization;
using System.Text;

namespace KmsImport.Sdk;

/// <summary>
/// Makes text that came from the network (an error message, code or request id) safe for an exception
/// message, a log or a terminal: control characters and terminal escape sequences are removed, line
/// breaks and tabs become spaces, and the result is bounded, ending in "..." and the original length
/// when it was cut. Idempotent: cleaned text comes back unchanged.
/// </summary>
internal static class ServiceText
{
    /// <summary>The most characters kept of a service's error message.</summary>
    public const int MaxMessageLength = 300;

    /// <summary>The most characters kept of a message the SDK composed around bounded service text.</summary>
    public const int MaxComposedMessageLength = 1000;

    /// <summary>The most characters kept of an error code.</summary>
    public const int MaxCodeLength = 64;

    /// <summary>The most characters kept of a request id.</summary>
    public const int MaxRequestIdLength = 128;

    /// <summary>The cleaned text; null for null.</summary>
    public static string? Clean(string? text, int maxLength)
    {
        if (text is null)
        {
            return null;
        }

        if (text.Length <= maxLength && !NeedsCleaning(text))
        {
            return text;
        }

        var builder = new StringBuilder(Math.Min(text.Length, maxLength + 1));
        for (int i = 0; i < text.Length && builder.Length <= maxLength; i++)
        {
            char c = text[i];
            if (c is '\r' or '\n' or '\t')
            {
                if (builder.Length > 0 && builder[^1] != ' ')
                {
                    builder.Append(' ');
                }
            }
            else if (c is '\u001B' or '\u009B')
            {
                i = SkipEscapeSequence(text, i);
            }
            else if (!IsUnsafe(c))
            {
                builder.Append(c);
            }
        }

        string cleaned = builder.ToString().Trim();
        if (cleaned.Length <= maxLength)
        {
            return cleaned;
        }

        string suffix = string.Create(CultureInfo.InvariantCulture, $"... ({text.Length} characters)");
        int keep = Math.Max(0, maxLength - suffix.Length);
        if (keep > 0 && char.IsHighSurrogate(cleaned[keep - 1]))
        {
            keep--;
        }

        return string.Concat(cleaned.AsSpan(0, keep), suffix);
    }

    private static bool NeedsCleaning(string text)
    {
        foreach (char c in text)
        {
            if (c is '\r' or '\n' or '\t' || IsUnsafe(c))
            {
                return true;
            }
        }

        return text.Length > 0 && (text[0] == ' ' || text[^1] == ' ');
    }

    // C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal shows.
    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069';

    // Returns the index of the last character of the escape sequence starting at start (ESC or CSI).
    private static int SkipEscapeSequence(string text, int start)
    {
        int i = start + 1;
        bool csi = text[start] == '\u009B';
        if (!csi && i < text.Length && text[i] == '[')
        {
            csi = true;
            i++;
        }

        if (csi)
        {
            // CSI: parameter and intermediate bytes, then one final byte in @..~.
            while (i < text.Length && text[i] is < '@' or > '~')
            {
                i++;
            }

            return Math.Min(i, text.Length - 1);
        }

        if (i < text.Length && text[i] is ']' or 'P' or '_' or '^')
        {
            // OSC, DCS, APC, PM: up to BEL or ESC \ (string terminator).
            for (i++; i < text.Length; i++)
            {
                if (text[i] == '\u0007')
                {
                    return i;
                }

                if (text[i] == '\u001B' && i + 1 < text.Length && text[i + 1] == '\\')
                {
                    return i + 1;
                }
            }

            return text.Length - 1;
        }

        // A two-character escape (ESC c, ESC 7, ...).
        return Math.Min(i, text.Length - 1);
    }
}
