using System.Text;

namespace KmsImport.Sdk.Reliability.Tests.Fuzzing;

/// <summary>Seeded mutations of byte inputs: flips, truncations, splices, JSON-aware value swaps, random and pathological bodies.</summary>
internal sealed class Mutator(Random random)
{
    private static readonly string[] s_jsonFragments =
    [
        "null", "true", "false", "0", "-1", "1e309", "-1e309", "1.5", "9223372036854775808", "-9223372036854775809",
        "\"\"", "\" \"", "\"\\u0000\"", "\"\\ud800\"", "[]", "{}", "[{}]", "{\"a\":", "\"", ",", ":", "}", "]",
        "\"1764400000\"", "\"1764400000000\"", "\"abc\"", "\"-----BEGIN PUBLIC KEY-----\"", "NaN", "Infinity",
    ];

    public Random Random => random;

    /// <summary>One to three mutations of <paramref name="input"/> (sometimes none).</summary>
    public byte[] Mutate(byte[] input)
    {
        if (random.Next(10) == 0)
        {
            return input;
        }

        byte[] current = input;
        int rounds = 1 + random.Next(3);
        for (int i = 0; i < rounds; i++)
        {
            current = MutateOnce(current);
        }

        return current;
    }

    public byte[] MutateOnce(byte[] input)
    {
        switch (random.Next(12))
        {
            case 0:
                return FlipBits(input);
            case 1:
                return input.Length == 0 ? input : input[..random.Next(input.Length)];
            case 2:
                return DeleteSpan(input);
            case 3:
                return Insert(input, Encoding.UTF8.GetBytes(s_jsonFragments[random.Next(s_jsonFragments.Length)]));
            case 4:
                return DuplicateSpan(input);
            case 5:
                return SwapJsonValue(input);
            case 6:
                return RandomBytes(random.Next(0, 512));
            case 7:
                return Encoding.UTF8.GetBytes("<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>");
            case 8:
                int depth = random.Next(10, 5000);
                return Encoding.UTF8.GetBytes(new string('[', depth) + new string(']', random.Next(2) == 0 ? depth : depth / 2));
            case 9:
                return [0xEF, 0xBB, 0xBF, .. input];
            case 10:
                return Insert(input, [(byte)random.Next(0x80, 0x100), (byte)random.Next(0x80, 0x100)]);
            default:
                return SetByte(input);
        }
    }

    public byte[] RandomBytes(int length)
    {
        byte[] bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private byte[] FlipBits(byte[] input)
    {
        if (input.Length == 0)
        {
            return input;
        }

        byte[] copy = (byte[])input.Clone();
        int flips = 1 + random.Next(4);
        for (int i = 0; i < flips; i++)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private byte[] SetByte(byte[] input)
    {
        if (input.Length == 0)
        {
            return input;
        }

        byte[] copy = (byte[])input.Clone();
        copy[random.Next(copy.Length)] = (byte)random.Next(256);
        return copy;
    }

    private byte[] DeleteSpan(byte[] input)
    {
        if (input.Length < 2)
        {
            return [];
        }

        int start = random.Next(input.Length);
        int length = random.Next(1, Math.Min(64, input.Length - start) + 1);
        return [.. input.AsSpan(0, start), .. input.AsSpan(start + length)];
    }

    private byte[] DuplicateSpan(byte[] input)
    {
        if (input.Length == 0)
        {
            return input;
        }

        int start = random.Next(input.Length);
        int length = random.Next(1, Math.Min(64, input.Length - start) + 1);
        return Insert(input, input.AsSpan(start, length).ToArray());
    }

    private byte[] Insert(byte[] input, byte[] fragment)
    {
        int at = random.Next(input.Length + 1);
        return [.. input.AsSpan(0, at), .. fragment, .. input.AsSpan(at)];
    }

    // Replaces one JSON string or number value with a fragment of another type.
    private byte[] SwapJsonValue(byte[] input)
    {
        string text = Encoding.UTF8.GetString(input);
        var colons = new List<int>();
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == ':')
            {
                colons.Add(i);
            }
        }

        if (colons.Count == 0)
        {
            return Insert(input, Encoding.UTF8.GetBytes(s_jsonFragments[random.Next(s_jsonFragments.Length)]));
        }

        int start = colons[random.Next(colons.Count)] + 1;
        int end = start;
        if (end < text.Length && text[end] == '"')
        {
            end = text.IndexOf('"', end + 1);
            end = end < 0 ? text.Length : end + 1;
        }
        else
        {
            while (end < text.Length && text[end] is not (',' or '}' or ']'))
            {
                end++;
            }
        }

        string replacement = random.Next(8) == 0
            ? "\"" + new string('A', random.Next(1, 20_000)) + "\""
            : s_jsonFragments[random.Next(s_jsonFragments.Length)];
        return Encoding.UTF8.GetBytes(string.Concat(text.AsSpan(0, start), replacement, text.AsSpan(end)));
    }
}
