using System.Security.Cryptography;
using System.Text;

namespace KmsImport.Cli;

/// <summary>Reads input files, or standard input for <c>-</c>. Secret inputs come only from here, never from arguments.</summary>
internal static class InputFiles
{
    private static readonly System.Buffers.SearchValues<byte> s_base64Alphabet =
        System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/="u8);

    /// <summary>Larger than any key, token or manifest the tool reads.</summary>
    private const int MaxInputLength = 1 << 20;

    /// <summary>Reads a file (or standard input for <c>-</c>) into a pinned buffer. The caller zeroes it when it holds a secret.</summary>
    public static byte[] ReadBytes(string path, string optionName, CliContext context)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        ArgumentNullException.ThrowIfNull(context);
        if (path == "-")
        {
            using Stream stdin = context.OpenStandardInput();
            return ReadBounded(stdin, optionName, "standard input");
        }

        if (!File.Exists(path))
        {
            throw new CliUsageException($"{optionName} {path}: the file does not exist.");
        }

        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return ReadBounded(stream, optionName, path);
    }

    /// <summary>Reads a text file holding one Base64 value (an IAM token), whitespace trimmed.</summary>
    public static string ReadSingleLineText(string path, string optionName, CliContext context)
    {
        byte[] bytes = ReadBytes(path, optionName, context);
        string text;
        try
        {
            text = Encoding.UTF8.GetString(bytes).Trim().TrimStart('\uFEFF');
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }

        if (text.Length == 0)
        {
            throw new CliUsageException($"{optionName} {path}: the file is empty.");
        }

        if (text.AsSpan().ContainsAny('\r', '\n'))
        {
            throw new CliUsageException($"{optionName} {path}: expected one line, found several.");
        }

        return text;
    }

    /// <summary>
    /// Reads a file holding one Base64 value (an import token) as the guide and <c>openssl base64</c> write it:
    /// on one line or wrapped at any width, with or without a final newline (LF or CRLF). Returns the value
    /// without line breaks.
    /// </summary>
    public static string ReadBase64Text(string path, string optionName, string what, CliContext context)
    {
        byte[] bytes = ReadBytes(path, optionName, context);
        byte[] joined = GC.AllocateUninitializedArray<byte>(bytes.Length, pinned: true);
        try
        {
            if (bytes.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
            {
                throw new CliUsageException($"{optionName} {path}: the file is empty; expected {what}.");
            }

            if (!TryJoinBase64Lines(bytes, joined, out int length, out string problem))
            {
                throw new CliUsageException($"{optionName} {path}: expected {what} as Base64 text (one line, or wrapped like 'openssl base64' writes it); {problem}.");
            }

            return Encoding.ASCII.GetString(joined, 0, length);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            CryptographicOperations.ZeroMemory(joined);
        }
    }

    /// <summary>
    /// Reads a file that holds binary data as raw bytes or as Base64 text (one line or wrapped at any width,
    /// with or without a final newline). Plaintext (<paramref name="lengthFirst"/>): a file whose length
    /// <paramref name="isExpectedLength"/> accepts is raw binary, even when every byte happens to be a Base64
    /// character; otherwise it must be Base64 text of an accepted length. Ciphertext: Base64 text that decodes
    /// to an accepted length is taken as Base64 (random ciphertext is never all Base64 lines), otherwise the
    /// raw length must be accepted. Returns a pinned buffer the caller zeroes, or null with
    /// <paramref name="problem"/> and the file's bytes in <paramref name="unrecognized"/> (which the caller
    /// zeroes too) when the file is neither.
    /// </summary>
    public static byte[]? ReadBinaryOrBase64(string path, string optionName, CliContext context, Func<int, bool> isExpectedLength, bool lengthFirst, out string problem, out byte[] unrecognized)
    {
        ArgumentNullException.ThrowIfNull(isExpectedLength);
        byte[] raw = ReadBytes(path, optionName, context);
        unrecognized = [];
        bool keepRaw = false;
        try
        {
            if (lengthFirst && isExpectedLength(raw.Length))
            {
                problem = string.Empty;
                return PinnedCopy(raw);
            }

            if (raw.Length == 0)
            {
                problem = "the file is empty";
                return null;
            }

            byte[]? decoded = TryDecodeBase64Lines(raw, out int written, out string base64Problem);
            if (decoded is not null && isExpectedLength(written))
            {
                problem = string.Empty;
                return decoded;
            }

            if (decoded is not null)
            {
                CryptographicOperations.ZeroMemory(decoded);
            }

            if (!lengthFirst && isExpectedLength(raw.Length))
            {
                problem = string.Empty;
                return PinnedCopy(raw);
            }

            problem = decoded is not null
                ? $"it is Base64 text of {written} bytes, not an expected length"
                : $"its {raw.Length} bytes are not an expected length for raw binary, and it is not Base64 text: {base64Problem}";
            unrecognized = raw;
            keepRaw = true;
            return null;
        }
        finally
        {
            if (!keepRaw)
            {
                CryptographicOperations.ZeroMemory(raw);
            }
        }
    }

    private static byte[] PinnedCopy(byte[] source)
    {
        byte[] copy = GC.AllocateUninitializedArray<byte>(source.Length, pinned: true);
        source.CopyTo(copy, 0);
        return copy;
    }

    // The decoded bytes in a pinned buffer of exactly their length (the caller zeroes it), or null.
    private static byte[]? TryDecodeBase64Lines(byte[] text, out int written, out string problem)
    {
        written = 0;
        byte[] joined = GC.AllocateUninitializedArray<byte>(text.Length, pinned: true);
        byte[]? decoded = null;
        try
        {
            if (!TryJoinBase64Lines(text, joined, out int length, out problem))
            {
                return null;
            }

            decoded = GC.AllocateUninitializedArray<byte>(length / 4 * 3, pinned: true);
            if (System.Buffers.Text.Base64.DecodeFromUtf8(joined.AsSpan(0, length), decoded, out _, out written) != System.Buffers.OperationStatus.Done)
            {
                problem = "its Base64 text does not decode";
                return null;
            }

            byte[] exact = GC.AllocateUninitializedArray<byte>(written, pinned: true);
            decoded.AsSpan(0, written).CopyTo(exact);
            return exact;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(joined);
            if (decoded is not null)
            {
                CryptographicOperations.ZeroMemory(decoded);
            }
        }
    }

    /// <summary>
    /// Copies the Base64 characters of <paramref name="text"/> to <paramref name="destination"/> when the text is
    /// Base64 on one line or on several (any width, LF or CRLF, a final newline or not, a UTF-8 BOM allowed), and
    /// the joined value is valid Base64; otherwise says what is wrong, without quoting the content.
    /// </summary>
    internal static bool TryJoinBase64Lines(ReadOnlySpan<byte> text, Span<byte> destination, out int length, out string problem)
    {
        length = 0;
        if (text.StartsWith("\uFEFF"u8))
        {
            text = text[3..];
        }

        text = text.TrimEnd(" \t\r\n"u8);
        int line = 0;
        while (true)
        {
            line++;
            int end = text.IndexOf((byte)'\n');
            ReadOnlySpan<byte> current = (end < 0 ? text : text[..end]).TrimEnd(" \t\r"u8);
            if (current.IsEmpty)
            {
                problem = $"line {line} is blank";
                return false;
            }

            int bad = current.IndexOfAnyExcept(s_base64Alphabet);
            if (bad >= 0)
            {
                problem = current[bad] is < 0x20 or >= 0x7F
                    ? $"line {line} has a byte that is not text at column {bad + 1} (a binary file?)"
                    : $"line {line} has a character that is not Base64 at column {bad + 1}";
                return false;
            }

            current.CopyTo(destination[length..]);
            length += current.Length;
            if (end < 0)
            {
                break;
            }

            text = text[(end + 1)..];
        }

        if (length % 4 != 0 || !System.Buffers.Text.Base64.IsValid(destination[..length]))
        {
            problem = "the Base64 value is incomplete or its '=' padding is misplaced (a truncated or edited file?)";
            return false;
        }

        problem = string.Empty;
        return true;
    }

    /// <summary>The first line of a password file, as characters the caller zeroes.</summary>
    public static char[] ReadPassword(string path, CliContext context)
    {
        byte[] bytes = ReadBytes(path, "--password-file", context);
        try
        {
            int end = bytes.AsSpan().IndexOfAny((byte)'\r', (byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? bytes : bytes.AsSpan(0, end);
            char[] chars = GC.AllocateUninitializedArray<char>(Encoding.UTF8.GetCharCount(line), pinned: true);
            Encoding.UTF8.GetChars(line, chars);
            return chars;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>Refuses two options that both read standard input.</summary>
    public static void EnsureSingleStandardInput(params string?[] paths)
    {
        if (paths.Count(p => p == "-") > 1)
        {
            throw new CliUsageException("only one input can come from standard input (-); put the others in files.");
        }
    }

    private static byte[] ReadBounded(Stream stream, string optionName, string source)
    {
        // Pinned, like the SDK's buffers: the GC never copies a secret input elsewhere before it is zeroed.
        byte[] buffer = GC.AllocateUninitializedArray<byte>(MaxInputLength + 1, pinned: true);
        int total = 0;
        try
        {
            int read;
            while (total < buffer.Length && (read = stream.Read(buffer, total, buffer.Length - total)) > 0)
            {
                total += read;
            }

            if (total > MaxInputLength)
            {
                throw new CliUsageException($"{optionName} {source}: larger than {MaxInputLength} bytes; this is not a key, token or manifest file.");
            }

            byte[] result = GC.AllocateUninitializedArray<byte>(total, pinned: true);
            buffer.AsSpan(0, total).CopyTo(result);
            return result;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, Math.Min(total, buffer.Length)));
        }
    }
}
