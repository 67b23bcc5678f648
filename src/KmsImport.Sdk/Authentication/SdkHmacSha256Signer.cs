using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KmsImport.Sdk.Authentication;

/// <summary>
/// The API gateway's AK/SK signature scheme <c>SDK-HMAC-SHA256</c>, as described in the KMS API
/// contract: a canonical request (method, canonical URI with a trailing slash, canonical query,
/// signed headers, SHA-256 of the body), hashed into a string to sign, HMAC-SHA256 with the SK.
/// Shared by the HTTPS transport (signing) and the emulator (verification).
/// </summary>
internal static class SdkHmacSha256Signer
{
    public const string Algorithm = "SDK-HMAC-SHA256";
    public const string DateHeader = "X-Sdk-Date";
    public const string DateFormat = "yyyyMMdd'T'HHmmss'Z'";

    /// <summary>Formats a time as <c>X-Sdk-Date</c>.</summary>
    public static string FormatDate(DateTimeOffset time) =>
        time.UtcDateTime.ToString(DateFormat, CultureInfo.InvariantCulture);

    /// <summary>Parses <c>X-Sdk-Date</c>; false when malformed.</summary>
    public static bool TryParseDate(string? value, out DateTimeOffset time) =>
        DateTimeOffset.TryParseExact(value, DateFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out time);

    /// <summary>Whether a header takes part in the signature: not content-type, no underscore.</summary>
    public static bool IsSignable(string headerName) =>
        !headerName.Equals("content-type", StringComparison.OrdinalIgnoreCase) && !headerName.Contains('_', StringComparison.Ordinal);

    /// <summary>
    /// Computes the signature of a request.
    /// </summary>
    /// <param name="method">The HTTP method.</param>
    /// <param name="path">The URI path, as sent (percent-encoded).</param>
    /// <param name="query">The query string without the leading '?', or empty.</param>
    /// <param name="headers">The headers to sign (names in any case); the caller has filtered them with <see cref="IsSignable"/>.</param>
    /// <param name="body">The exact body bytes.</param>
    /// <param name="sdkDate">The <c>X-Sdk-Date</c> value, also among <paramref name="headers"/>.</param>
    /// <param name="secretKey">The SK.</param>
    /// <param name="signedHeaders">The <c>SignedHeaders</c> list.</param>
    /// <returns>The lower-case hex signature.</returns>
    public static string ComputeSignature(
        string method,
        string path,
        string query,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body,
        string sdkDate,
        ReadOnlySpan<char> secretKey,
        out string signedHeaders)
    {
        string canonicalRequest = BuildCanonicalRequest(method, path, query, headers, body, out signedHeaders);
        string stringToSign = $"{Algorithm}\n{sdkDate}\n{HexSha256(Encoding.UTF8.GetBytes(canonicalRequest))}";

        int keyLength = Encoding.UTF8.GetByteCount(secretKey);
        byte[] key = GC.AllocateUninitializedArray<byte>(keyLength, pinned: true);
        try
        {
            Encoding.UTF8.GetBytes(secretKey, key);
            Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
            HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign), mac);
            return Convert.ToHexStringLower(mac);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(key);
        }
    }

    /// <summary>The <c>Authorization</c> header value.</summary>
    public static string FormatAuthorization(string accessKey, string signedHeaders, string signature) =>
        $"{Algorithm} Access={accessKey}, SignedHeaders={signedHeaders}, Signature={signature}";

    /// <summary>Parses an <c>Authorization</c> header; false when it is not of this scheme.</summary>
    public static bool TryParseAuthorization(string? value, out string accessKey, out string signedHeaders, out string signature)
    {
        accessKey = signedHeaders = signature = string.Empty;
        if (value is null || !value.StartsWith(Algorithm + " ", StringComparison.Ordinal))
        {
            return false;
        }

        foreach (string part in value[(Algorithm.Length + 1)..].Split(',', StringSplitOptions.TrimEntries))
        {
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                return false;
            }

            string name = part[..eq];
            string v = part[(eq + 1)..];
            switch (name)
            {
                case "Access":
                    accessKey = v;
                    break;
                case "SignedHeaders":
                    signedHeaders = v;
                    break;
                case "Signature":
                    signature = v;
                    break;
                default:
                    return false;
            }
        }

        return accessKey.Length > 0 && signedHeaders.Length > 0 && signature.Length > 0;
    }

    internal static string BuildCanonicalRequest(
        string method,
        string path,
        string query,
        IEnumerable<KeyValuePair<string, string>> headers,
        ReadOnlySpan<byte> body,
        out string signedHeaders)
    {
        var sorted = headers
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: h.Value.Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        signedHeaders = string.Join(';', sorted.Select(h => h.Name));

        var builder = new StringBuilder();
        builder.Append(method.ToUpperInvariant()).Append('\n');
        builder.Append(CanonicalUri(path)).Append('\n');
        builder.Append(CanonicalQuery(query)).Append('\n');
        foreach (var (name, value) in sorted)
        {
            builder.Append(name).Append(':').Append(value).Append('\n');
        }

        builder.Append('\n');
        builder.Append(signedHeaders).Append('\n');
        builder.Append(HexSha256(body));
        return builder.ToString();
    }

    private static string CanonicalUri(string path)
    {
        string encoded = string.Join('/', path.Split('/').Select(segment => Encode(Uri.UnescapeDataString(segment))));
        return encoded.EndsWith('/') ? encoded : encoded + "/";
    }

    private static string CanonicalQuery(string query)
    {
        if (string.IsNullOrEmpty(query))
        {
            return string.Empty;
        }

        return string.Join('&', query.TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                int eq = pair.IndexOf('=', StringComparison.Ordinal);
                string name = Uri.UnescapeDataString(eq < 0 ? pair : pair[..eq]);
                string value = eq < 0 ? string.Empty : Uri.UnescapeDataString(pair[(eq + 1)..]);
                return (Name: Encode(name), Value: Encode(value));
            })
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => $"{p.Name}={p.Value}"));
    }

    // RFC 3986 unreserved characters stay; everything else is %XX with upper-case hex.
    private static string Encode(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (byte b in Encoding.UTF8.GetBytes(value))
        {
            char c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or '~')
            {
                builder.Append(c);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }

    private static string HexSha256(ReadOnlySpan<byte> data)
    {
        Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
        SHA256.HashData(data, hash);
        return Convert.ToHexStringLower(hash);
    }
}
