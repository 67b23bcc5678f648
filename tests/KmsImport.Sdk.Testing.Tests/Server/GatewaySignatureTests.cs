using System.Text;
using KmsImport.Sdk.Testing.Server;

namespace KmsImport.Sdk.Testing.Tests.Server;

/// <summary>The emulator's own verifier against the contract's published vectors and the canonicalisation rules.</summary>
public class GatewaySignatureTests
{
    private const string Date = "20191115T033655Z";
    private const string Host = "service.region.example.com";

    private static readonly KeyValuePair<string, string>[] s_vectorHeaders = [new("host", Host), new("x-sdk-date", Date)];

    [Test]
    public void The_Published_Post_Vector_Verifies_On_The_Server_Side()
    {
        string canonical = GatewaySignature.CanonicalRequest("POST", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpc/123", string.Empty, s_vectorHeaders, "host;x-sdk-date", Encoding.UTF8.GetBytes("{\"key\":\"value\"}"));
        Assert.That(canonical, Is.EqualTo("POST\n/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpc/123/\n\nhost:service.region.example.com\nx-sdk-date:20191115T033655Z\n\nhost;x-sdk-date\ne43abcf3375244839c012f9633f95862d232a95b00d5bc7348b3098b9fed7f32"));
        string signature = GatewaySignature.Sign("SecretKey", GatewaySignature.StringToSign(Date, canonical));
        Assert.Multiple(() =>
        {
            Assert.That(signature, Is.EqualTo("b5649aa774f6cac7437631662f08815fc65c70e40e486df6db2436ce68902771"));
            Assert.That(GatewaySignature.SignaturesEqual(signature, "b5649aa774f6cac7437631662f08815fc65c70e40e486df6db2436ce68902771"), Is.True);
            Assert.That(GatewaySignature.SignaturesEqual(signature, "b5649aa774f6cac7437631662f08815fc65c70e40e486df6db2436ce68902772"), Is.False);
        });
    }

    [Test]
    public void The_Published_Get_Vector_With_A_Query_Verifies_On_The_Server_Side()
    {
        string canonical = GatewaySignature.CanonicalRequest("GET", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs", "limit=2&marker=13551d6b-755d-4757-b956-536f674975c0", s_vectorHeaders, "host;x-sdk-date", []);
        Assert.That(GatewaySignature.Sign("SecretKey", GatewaySignature.StringToSign(Date, canonical)), Is.EqualTo("fd95e7da6f695cfb4cabbb9d6b0968aec155bc576b064835282473539ae9ea1d"));
    }

    [Test]
    public void The_Published_Vectors_Fail_Under_Another_Secret_Or_Body()
    {
        string canonical = GatewaySignature.CanonicalRequest("POST", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpc/123", string.Empty, s_vectorHeaders, "host;x-sdk-date", Encoding.UTF8.GetBytes("{\"key\":\"value2\"}"));
        Assert.Multiple(() =>
        {
            Assert.That(GatewaySignature.Sign("SecretKey", GatewaySignature.StringToSign(Date, canonical)), Is.Not.EqualTo("b5649aa774f6cac7437631662f08815fc65c70e40e486df6db2436ce68902771"));
            Assert.That(GatewaySignature.Sign("SecretKey2", GatewaySignature.StringToSign(Date, canonical.Replace("value2", "value", StringComparison.Ordinal))), Is.Not.EqualTo("b5649aa774f6cac7437631662f08815fc65c70e40e486df6db2436ce68902771"));
        });
    }

    [Test]
    public void The_Test_Signer_And_The_Verifier_Agree_On_The_Vectors()
    {
        var headers = new Dictionary<string, string> { ["Host"] = Host, ["X-Sdk-Date"] = Date, ["TEST_UNDERSCORE"] = "TEST_VALUE" };
        string authorization = TestRequestSigner.Sign("GET", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0", headers, [], Date, "AccessKey", "SecretKey");
        Assert.That(GatewaySignature.TryParseAuthorization(authorization, out string ak, out string signed, out string signature), Is.True);
        Assert.Multiple(() =>
        {
            Assert.That(ak, Is.EqualTo("AccessKey"));
            Assert.That(signed, Is.EqualTo("host;x-sdk-date"));
            Assert.That(signature, Is.EqualTo("fd95e7da6f695cfb4cabbb9d6b0968aec155bc576b064835282473539ae9ea1d"));
        });
    }

    [TestCase("/v1.0/p/kms/create-key", "/v1.0/p/kms/create-key/")]
    [TestCase("/v1.0/p/kms/create-key/", "/v1.0/p/kms/create-key/")]
    [TestCase("", "/")]
    [TestCase("/", "/")]
    [TestCase("/caf%c3%a9/x", "/caf%C3%A9/x/")]
    [TestCase("/a%7Eb/c~d", "/a~b/c~d/")]
    [TestCase("/a%2Fb/c", "/a%2Fb/c/")]
    [TestCase("/a b/c+d/e%zz", "/a%20b/c%2Bd/e%25zz/")]
    [TestCase("/A-Z_a.z~0", "/A-Z_a.z~0/")]
    public void Canonical_Uri(string rawPath, string expected) =>
        Assert.That(GatewaySignature.CanonicalUri(rawPath), Is.EqualTo(expected));

    [TestCase("", "")]
    [TestCase("b=2&a=2&a=1", "a=1&a=2&b=2")]
    [TestCase("flag&x=", "flag=&x=")]
    [TestCase("q=a%20b&p=%7e", "p=~&q=a%20b")]
    [TestCase("z=1&&y=2", "y=2&z=1")]
    [TestCase("k=a+b", "k=a%2Bb")]
    public void Canonical_Query(string rawQuery, string expected) =>
        Assert.That(GatewaySignature.CanonicalQuery(rawQuery), Is.EqualTo(expected));

    [TestCase("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host;x-sdk-date, Signature=ab", true)]
    [TestCase("SDK-HMAC-SHA256 Access=AK,SignedHeaders=host;x-sdk-date,Signature=ab", true)]
    [TestCase("SDK-HMAC-SHA256 Signature=ab, Access=AK, SignedHeaders=x-sdk-date", true)]
    [TestCase("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host", false)]
    [TestCase("SDK-HMAC-SHA256 Access=AK, Access=BK, SignedHeaders=host, Signature=ab", false)]
    [TestCase("SDK-HMAC-SHA256 Access=, SignedHeaders=host, Signature=ab", false)]
    [TestCase("SDK-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=ab, Extra=1", false)]
    [TestCase("AWS4-HMAC-SHA256 Access=AK, SignedHeaders=host, Signature=ab", false)]
    [TestCase("Bearer abc", false)]
    [TestCase("", false)]
    public void Authorization_Header_Parsing(string value, bool valid) =>
        Assert.That(GatewaySignature.TryParseAuthorization(value, out _, out _, out _), Is.EqualTo(valid));

    [TestCase("host;x-sdk-date", true)]
    [TestCase("content-type;host;x-project-id;x-sdk-date;x_trace_id", true)]
    [TestCase("x-sdk-date", true)]
    [TestCase("host;;x-sdk-date", false)]
    [TestCase("host;Host;x-sdk-date", false)]
    [TestCase("host;x sdk;x-sdk-date", false)]
    [TestCase("host:80;x-sdk-date", false)]
    public void Signed_Headers_Parsing(string value, bool valid) =>
        Assert.That(GatewaySignature.TryParseSignedHeaders(value, out _), Is.EqualTo(valid));

    [TestCase("20191115T033655Z", true)]
    [TestCase("2019-11-15T03:36:55Z", false)]
    [TestCase("20191115T033655", false)]
    [TestCase("", false)]
    public void Date_Parsing(string value, bool valid)
    {
        Assert.That(GatewaySignature.TryParseDate(value, out DateTimeOffset time), Is.EqualTo(valid));
        if (valid)
        {
            Assert.That(time, Is.EqualTo(new DateTimeOffset(2019, 11, 15, 3, 36, 55, TimeSpan.Zero)));
        }
    }
}
