using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KmsImport.Sdk.Testing.Tests.TestSupport;

/// <summary>Which headers each official Huawei Cloud SDK puts into <c>SignedHeaders</c> (kms-api-addendum.md, section 5).</summary>
public enum SignerStyle
{
    /// <summary>.NET and Java (and this SDK): every header but <c>content-type</c> and names with <c>_</c>; <c>host</c> signed.</summary>
    DotNetJava,

    /// <summary>Python: every header but names with <c>_</c>; <c>content-type</c> and <c>host</c> signed.</summary>
    Python,

    /// <summary>Node.js: every header, <c>content-type</c> (<c>application/json</c>) and <c>_</c> names included.</summary>
    NodeJs,

    /// <summary>Go: no <c>content-type*</c>, no <c>_</c> names, no <c>host</c> (unless the caller set it); <c>user-agent</c> signed.</summary>
    Go,
}

/// <summary>
/// A deliberately separate SDK-HMAC-SHA256 signer for the server tests, written in the test from
/// the algorithm in kms-api.md (and checked against its published vectors), sharing no code with
/// the SDK's signer nor with the emulator's verifier, and able to choose its signed headers the way
/// each official SDK does.
/// </summary>
internal static class TestRequestSigner
{
    /// <summary>The signed-header names (lower case, sorted) a style picks from the headers a request carries.</summary>
    public static IReadOnlyList<string> SelectSignedHeaders(IEnumerable<string> headerNames, SignerStyle style) =>
        headerNames
            .Select(n => n.ToLowerInvariant())
            .Where(n => style switch
            {
                SignerStyle.DotNetJava => n != "content-type" && !n.Contains('_', StringComparison.Ordinal),
                SignerStyle.Python => !n.Contains('_', StringComparison.Ordinal),
                SignerStyle.NodeJs => true,
                SignerStyle.Go => !n.StartsWith("content-type", StringComparison.Ordinal) && !n.Contains('_', StringComparison.Ordinal) && n != "host",
                _ => throw new ArgumentOutOfRangeException(nameof(style)),
            })
            .Distinct(StringComparer.Ordinal)
            .OrderBy(n => n, StringComparer.Ordinal)
            .ToList();

    /// <summary>The <c>Authorization</c> value for a request with <paramref name="headers"/> (every header it will carry that matters), signed in <paramref name="style"/>.</summary>
    public static string Sign(string method, string pathAndQuery, IReadOnlyDictionary<string, string> headers, byte[] body, string sdkDate, string accessKey, string secretKey, SignerStyle style = SignerStyle.DotNetJava)
    {
        IReadOnlyList<string> names = SelectSignedHeaders(headers.Keys, style);
        return SignExactly(method, pathAndQuery, headers, names, body, sdkDate, accessKey, secretKey);
    }

    /// <summary>Signs exactly the headers named (their values looked up case-insensitively), in the order given.</summary>
    public static string SignExactly(string method, string pathAndQuery, IReadOnlyDictionary<string, string> headers, IReadOnlyList<string> signedNames, byte[] body, string sdkDate, string accessKey, string secretKey)
    {
        string signedHeaders = string.Join(";", signedNames);
        string canonical = CanonicalRequest(method, pathAndQuery, headers, signedNames, body);
        string stringToSign = "SDK-HMAC-SHA256\n" + sdkDate + "\n" + Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
        string signature = Hex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));
        return $"SDK-HMAC-SHA256 Access={accessKey}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    public static string CanonicalRequest(string method, string pathAndQuery, IReadOnlyDictionary<string, string> headers, IReadOnlyList<string> signedNames, byte[] body)
    {
        int question = pathAndQuery.IndexOf('?', StringComparison.Ordinal);
        string path = question < 0 ? pathAndQuery : pathAndQuery[..question];
        string query = question < 0 ? string.Empty : pathAndQuery[(question + 1)..];

        string canonicalUri = string.Join("/", path.Split('/').Select(s => PercentEncode(Uri.UnescapeDataString(s))));
        if (!canonicalUri.EndsWith('/'))
        {
            canonicalUri += "/";
        }

        string canonicalQuery = string.Join("&", query
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .Select(p => (Name: PercentEncode(Uri.UnescapeDataString(p[0])), Value: PercentEncode(Uri.UnescapeDataString(p.Length > 1 ? p[1] : string.Empty))))
            .OrderBy(p => p.Name, StringComparer.Ordinal)
            .ThenBy(p => p.Value, StringComparer.Ordinal)
            .Select(p => p.Name + "=" + p.Value));

        var lookup = headers.ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
        var canonical = new StringBuilder()
            .Append(method.ToUpperInvariant()).Append('\n')
            .Append(canonicalUri).Append('\n')
            .Append(canonicalQuery).Append('\n');
        foreach (string name in signedNames)
        {
            canonical.Append(name.ToLowerInvariant()).Append(':').Append(lookup[name].Trim()).Append('\n');
        }

        return canonical.Append('\n').Append(string.Join(";", signedNames)).Append('\n').Append(Hex(SHA256.HashData(body))).ToString();
    }

    public static string FormatDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string PercentEncode(string value)
    {
        var builder = new StringBuilder();
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

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
