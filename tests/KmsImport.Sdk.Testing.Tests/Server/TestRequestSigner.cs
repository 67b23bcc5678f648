using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace KmsImport.Sdk.Testing.Tests.Server;

/// <summary>
/// A deliberately separate SDK-HMAC-SHA256 signer for the server tests, written from the API
/// description (and checked against its published vector), so the server's verification is not
/// only tested against the code it shares with the SDK.
/// </summary>
internal static class TestRequestSigner
{
    public static string Sign(string method, string path, IReadOnlyDictionary<string, string> headers, byte[] body, string sdkDate, string accessKey, string secretKey)
    {
        var signed = headers
            .Where(h => !h.Key.Equals("content-type", StringComparison.OrdinalIgnoreCase) && !h.Key.Contains('_', StringComparison.Ordinal))
            .Select(h => (Name: h.Key.ToLowerInvariant(), Value: h.Value.Trim()))
            .OrderBy(h => h.Name, StringComparer.Ordinal)
            .ToList();
        string signedHeaders = string.Join(";", signed.Select(h => h.Name));
        string canonicalUri = path.EndsWith('/') ? path : path + "/";
        var canonical = new StringBuilder()
            .Append(method).Append('\n')
            .Append(canonicalUri).Append('\n')
            .Append('\n');
        foreach (var (name, value) in signed)
        {
            canonical.Append(name).Append(':').Append(value).Append('\n');
        }

        canonical.Append('\n').Append(signedHeaders).Append('\n').Append(Hex(SHA256.HashData(body)));
        string stringToSign = $"SDK-HMAC-SHA256\n{sdkDate}\n{Hex(SHA256.HashData(Encoding.UTF8.GetBytes(canonical.ToString())))}";
        string signature = Hex(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secretKey), Encoding.UTF8.GetBytes(stringToSign)));
        return $"SDK-HMAC-SHA256 Access={accessKey}, SignedHeaders={signedHeaders}, Signature={signature}";
    }

    public static string FormatDate(DateTimeOffset time) => time.UtcDateTime.ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);

    private static string Hex(byte[] bytes) => Convert.ToHexStringLower(bytes);
}
