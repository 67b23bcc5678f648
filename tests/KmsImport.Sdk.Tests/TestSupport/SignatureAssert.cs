using KmsImport.Sdk.Authentication;

namespace KmsImport.Sdk.Tests.TestSupport;

/// <summary>Checks a recorded request's SDK-HMAC-SHA256 signature as the API gateway does.</summary>
internal static class SignatureAssert
{
    /// <summary>Recomputes a recorded request's signature from its own headers and body, as the gateway does.</summary>
    public static (string AccessKey, string SignedHeaders, string Sent, string Recomputed, string RecomputedHeaders) Recompute(RecordedRequest request, string secretKey)
    {
        Assert.That(SdkHmacSha256Signer.TryParseAuthorization(request.Header("Authorization"), out string ak, out string signedHeaders, out string signature), Is.True, "Authorization is SDK-HMAC-SHA256");
        var headers = signedHeaders.Split(';').Select(name => new KeyValuePair<string, string>(name, request.Header(name) ?? throw new AssertionException($"signed header {name} missing"))).ToList();
        string expected = SdkHmacSha256Signer.ComputeSignature(
            "POST", request.Uri.AbsolutePath, request.Uri.Query.TrimStart('?'), headers, request.Body, request.Header("X-Sdk-Date")!, secretKey, out string recomputedList);
        return (ak, signedHeaders, signature, expected, recomputedList);
    }

    public static void IsValid(RecordedRequest request, string accessKey, string secretKey)
    {
        var (ak, signedHeaders, sent, recomputed, recomputedHeaders) = Recompute(request, secretKey);
        Assert.Multiple(() =>
        {
            Assert.That(ak, Is.EqualTo(accessKey));
            Assert.That(recomputedHeaders, Is.EqualTo(signedHeaders));
            Assert.That(sent, Is.EqualTo(recomputed), "signature");
        });
    }
}
