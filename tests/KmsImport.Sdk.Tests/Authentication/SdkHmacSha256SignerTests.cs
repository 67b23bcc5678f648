using System.Text;
using KmsImport.Sdk.Authentication;

namespace KmsImport.Sdk.Tests.Authentication;

// The published vectors of the API gateway's SDK-HMAC-SHA256 scheme (kms-api.md, "Authentication").
public class SdkHmacSha256SignerTests
{
    private const string Host = "service.region.example.com";
    private const string SdkDate = "20191115T033655Z";

    private static List<KeyValuePair<string, string>> SignableHeaders()
    {
        var all = new List<KeyValuePair<string, string>>
        {
            new("Host", Host),
            new("X-Sdk-Date", SdkDate),
            new("TEST_UNDERSCORE", "TEST_VALUE"),
            new("Content-Type", "application/json"),
        };
        return all.Where(h => SdkHmacSha256Signer.IsSignable(h.Key)).ToList();
    }

    [Test]
    public void Get_With_Query_Matches_The_Published_Signature()
    {
        string signature = SdkHmacSha256Signer.ComputeSignature(
            "GET",
            "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs",
            "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0",
            SignableHeaders(),
            ReadOnlySpan<byte>.Empty,
            SdkDate,
            "SecretKey",
            out string signedHeaders);

        Assert.Multiple(() =>
        {
            Assert.That(signedHeaders, Is.EqualTo("host;x-sdk-date"));
            Assert.That(signature, Is.EqualTo("fd95e7da6f695cfb4cabbb9d6b0968aec155bc576b064835282473539ae9ea1d"));
        });
    }

    [Test]
    public void Post_With_Body_Matches_The_Published_Canonical_Request_And_Signature()
    {
        byte[] body = Encoding.UTF8.GetBytes("{\"key\":\"value\"}");
        string canonical = SdkHmacSha256Signer.BuildCanonicalRequest(
            "POST", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpc/123", string.Empty, SignableHeaders(), body, out _);
        string signature = SdkHmacSha256Signer.ComputeSignature(
            "POST", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpc/123", string.Empty, SignableHeaders(), body, SdkDate, "SecretKey", out string signedHeaders);

        Assert.Multiple(() =>
        {
            Assert.That(canonical, Is.EqualTo(
                "POST\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpc/123/\n\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\nhost;x-sdk-date\ne43abcf3375244839c012f9633f95862d232a95b00d5bc7348b3098b9fed7f32"));
            Assert.That(signedHeaders, Is.EqualTo("host;x-sdk-date"));
            Assert.That(signature, Is.EqualTo("b5649aa774f6cac7437631662f08815fc65c70e40e486df6db2436ce68902771"));
        });
    }

    [Test]
    public void A_Different_Secret_Gives_A_Different_Signature()
    {
        string a = SdkHmacSha256Signer.ComputeSignature("POST", "/p", string.Empty, SignableHeaders(), "{}"u8, SdkDate, "SecretKey", out _);
        string b = SdkHmacSha256Signer.ComputeSignature("POST", "/p", string.Empty, SignableHeaders(), "{}"u8, SdkDate, "SecretKey2", out _);
        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void Authorization_Header_Round_Trips()
    {
        string header = SdkHmacSha256Signer.FormatAuthorization("AccessKey", "host;x-sdk-date", "abc123");
        Assert.Multiple(() =>
        {
            Assert.That(header, Is.EqualTo("SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=abc123"));
            Assert.That(SdkHmacSha256Signer.TryParseAuthorization(header, out string ak, out string sh, out string sig), Is.True);
            Assert.That((ak, sh, sig), Is.EqualTo(("AccessKey", "host;x-sdk-date", "abc123")));
            Assert.That(SdkHmacSha256Signer.TryParseAuthorization("Bearer x", out _, out _, out _), Is.False);
        });
    }
}
