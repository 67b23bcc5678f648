using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KmsImport.Sdk.Testing.Server;

/// <summary>
/// The API gateway's <c>SDK-HMAC-SHA256</c> rule, server side, written from the contract
/// (<c>kms-api.md</c>, "Authentication") and deliberately independent of the SDK's signer: the
/// canonical request is rebuilt from the request as received, over exactly the headers the client
/// named in <c>SignedHeaders</c>, in the order it named them.
/// </summary>
/// <remarks>
/// Canonical request, lines joined with <c>\n</c>: the method; the canonical URI (each path segment
/// percent-decoded then percent-encoded with unreserved <c>A-Za-z0-9-_.~</c> and upper-case hex,
/// joined with <c>/</c>, and a <c>/</c> appended unless it already ends with one); the canonical
/// query (names and values encoded the same way, sorted by name then value, <c>k=v</c> joined with
/// <c>&amp;</c>); one <c>name:trimmed-value\n</c> line per signed header; the signed-header list;
/// the lower-case hex SHA-256 of the exact body bytes. String to sign:
/// <c>SDK-HMAC-SHA256\n{X-Sdk-Date}\n{hex(SHA-256(canonical request))}</c>. Signature: lower-case
/// hex HMAC-SHA256 of it under the UTF-8 secret key. A <c>+</c> in the query is a literal plus,
/// not a space (only percent escapes are decoded).
/// </remarks>
internal static class GatewaySignature
{
    /// <summary>The scheme name that starts the <c>Authorization</c> header and the string to sign.</summary>
    public const string Algorithm = "SDK-HMAC-SHA256";

    /// <summary>The header that carries the signing time.</summary>
    public const string DateHeader = "X-Sdk-Date";

    /// <summary>The <see cref="DateHeader"/> format: basic ISO 8601 UTC.</summary>
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    private const string Unreserved = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.~";

    /// <summary>
    /// Parses <c>SDK-HMAC-SHA256 Access={AK}, SignedHeaders={list}, Signature={hex}</c> (the three
    /// fields once each, in any order, whitespace around them ignored).
    /// </summary>
    public static bool TryParseAuthorization(string? value, out string accessKey, out string signedHeaders, out string signature)
    {
        accessKey = signedHeaders = signature = string.Empty;
        if (value is null || !value.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return false;
        }

        var fields = new Dictionary<string, string>(3, StringComparer.Ordinal);
        foreach (string part in value[(Algorithm.Length + 1)..].Split(','))
        {
            string field = part.Trim();
            int equals = field.IndexOf('=', StringComparison.Ordinal);
            string name = equals <= 0 ? string.Empty : field[..equals];
            if (name is not ("Access" or "SignedHeaders" or "Signature") || equals == field.Length - 1 || !fields.TryAdd(name, field[(equals + 1)..]))
            {
                return false;
            }
        }

        if (!fields.TryGetValue("Access", out string? ak) || !fields.TryGetValue("SignedHeaders", out string? headers) || !fields.TryGetValue("Signature", out string? sig))
        {
            return false;
        }

        (accessKey, signedHeaders, signature) = (ak, headers, sig);
        return true;
    }

    /// <summary>
    /// Splits a <c>SignedHeaders</c> list on <c>;</c>: every name non-empty, an HTTP token, named
    /// once (case-insensitively). The names are returned as written, in the order written.
    /// </summary>
    public static bool TryParseSignedHeaders(string signedHeaders, out string[] names)
    {
        names = signedHeaders.Split(';');
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (string name in names)
        {
            if (name.Length == 0 || !IsToken(name) || !seen.Add(name))
            {
                names = [];
                return false;
            }
        }

        return true;
    }

    /// <summary>Parses an <c>X-Sdk-Date</c> value (<see cref="DateFormat"/>, UTC).</summary>
    public static bool TryParseDate(string? value, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>The canonical URI of a raw (still percent-encoded) request path.</summary>
    public static string CanonicalUri(string rawPath)
    {
        var builder = new StringBuilder(rawPath.Length + 8);
        string[] segments = rawPath.Split('/');
        for (int i = 0; i < segments.Length; i++)
        {
            if (i > 0)
            {
                builder.Append('/');
            }

            AppendEncoded(builder, segments[i]);
        }

        if (builder.Length == 0 || builder[^1] != '/')
        {
            builder.Append('/');
        }

        return builder.ToString();
    }

    /// <summary>The canonical query of a raw query string (without the leading <c>?</c>); empty for none.</summary>
    public static string CanonicalQuery(string rawQuery)
    {
        var parameters = new List<(string Name, string Value)>();
        foreach (string pair in rawQuery.Split('&'))
        {
            if (pair.Length == 0)
            {
                continue;
            }

            int equals = pair.IndexOf('=', StringComparison.Ordinal);
            string name = equals < 0 ? pair : pair[..equals];
            string value = equals < 0 ? string.Empty : pair[(equals + 1)..];
            parameters.Add((Encode(name), Encode(value)));
        }

        parameters.Sort(static (a, b) =>
        {
            int byName = string.CompareOrdinal(a.Name, b.Name);
            return byName != 0 ? byName : string.CompareOrdinal(a.Value, b.Value);
        });
        return string.Join('&', parameters.Select(static p => p.Name + "=" + p.Value));
    }

    /// <summary>
    /// The canonical request. <paramref name="headers"/> are the signed headers in the order of
    /// <paramref name="signedHeaders"/>, each with its value as received (trimmed here).
    /// </summary>
    public static string CanonicalRequest(string method, string rawPath, string rawQuery, IReadOnlyList<KeyValuePair<string, string>> headers, string signedHeaders, ReadOnlySpan<byte> body)
    {
        var builder = new StringBuilder(256)
            .Append(method.ToUpperInvariant()).Append('\n')
            .Append(CanonicalUri(rawPath)).Append('\n')
            .Append(CanonicalQuery(rawQuery)).Append('\n');
        foreach ((string name, string value) in headers)
        {
            builder.Append(name.ToLowerInvariant()).Append(':').Append(value.Trim()).Append('\n');
        }

        return builder
            .Append('\n')
            .Append(signedHeaders).Append('\n')
            .Append(Convert.ToHexStringLower(SHA256.HashData(body)))
            .ToString();
    }

    /// <summary>The string to sign for a canonical request.</summary>
    public static string StringToSign(string sdkDate, string canonicalRequest) =>
        $"{Algorithm}\n{sdkDate}\n{Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonicalRequest)))}";

    /// <summary>The lower-case hex HMAC-SHA256 of <paramref name="stringToSign"/> under the UTF-8 secret key.</summary>
    public static string Sign(string secretKey, string stringToSign)
    {
        byte[] key = Encoding.UTF8.GetBytes(secretKey);
        try
        {
            return Convert.ToHexStringLower(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>Compares a received signature with the expected one in constant time.</summary>
    public static bool SignaturesEqual(string expected, string received) =>
        expected.Length == received.Length
        && CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(received));

    private static string Encode(string component)
    {
        var builder = new StringBuilder(component.Length + 8);
        AppendEncoded(builder, component);
        return builder.ToString();
    }

    // Percent-decodes (escapes that are not two hex digits stay literal) then percent-encodes
    // every byte of the UTF-8 form that is not unreserved.
    private static void AppendEncoded(StringBuilder builder, string component)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(component);
        int length = 0;
        for (int i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '%' && i + 2 < bytes.Length && IsHex(bytes[i + 1]) && IsHex(bytes[i + 2]))
            {
                bytes[length++] = (byte)((HexValue(bytes[i + 1]) << 4) | HexValue(bytes[i + 2]));
                i += 2;
            }
            else
            {
                bytes[length++] = bytes[i];
            }
        }

        for (int i = 0; i < length; i++)
        {
            byte b = bytes[i];
            if (b < 0x80 && Unreserved.Contains((char)b, StringComparison.Ordinal))
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }
    }

    private static bool IsHex(byte b) => b is (>= (byte)'0' and <= (byte)'9') or (>= (byte)'a' and <= (byte)'f') or (>= (byte)'A' and <= (byte)'F');

    private static int HexValue(byte b) => b <= '9' ? b - '0' : (b | 0x20) - 'a' + 10;

    // RFC 9110 token characters.
    private static bool IsToken(string name)
    {
        foreach (char c in name)
        {
            if (c > 0x7e || c <= 0x20 || "\"(),/:;<=>?@[\\]{}".Contains(c, StringComparison.Ordinal))
            {
                return false;
            }
        }

        return true;
    }
}
