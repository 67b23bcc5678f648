using System.Security.Cryptography;
using System.Text;

namespace KmsImport.Cli;

/// <summary>Reads input files, or standard input for <c>-</c>. Secret inputs come only from here, never from arguments.</summary>
internal static class InputFiles
{
    /// <summary>Larger than any key, token or manifest the tool reads.</summary>
    private const int MaxInputLength = 1 << 20;

    /// <summary>Reads a file (or standard input for <c>-</c>). The caller zeroes the buffer when it holds a secret.</summary>
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

    /// <summary>Reads a text file holding one Base64 value (an import token, an IAM token), whitespace trimmed.</summary>
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

    /// <summary>The first line of a password file, as characters the caller zeroes.</summary>
    public static char[] ReadPassword(string path, CliContext context)
    {
        byte[] bytes = ReadBytes(path, "--password-file", context);
        try
        {
            int end = bytes.AsSpan().IndexOfAny((byte)'\r', (byte)'\n');
            ReadOnlySpan<byte> line = end < 0 ? bytes : bytes.AsSpan(0, end);
            var chars = new char[Encoding.UTF8.GetCharCount(line)];
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
        var buffer = new byte[MaxInputLength + 1];
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

            return buffer.AsSpan(0, total).ToArray();
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, Math.Min(total, buffer.Length)));
        }
    }
}
