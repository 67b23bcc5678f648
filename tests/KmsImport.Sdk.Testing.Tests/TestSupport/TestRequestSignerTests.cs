using System.Text;

namespace KmsImport.Sdk.Testing.Tests.TestSupport;

/// <summary>The test's own signer against the contract's published vectors, and its imitation of each official SDK's header choice.</summary>
public class TestRequestSignerTests
{
    private static readonly Dictionary<string, string> s_vectorHeaders = new()
    {
        ["Host"] = "service.region.example.com",
        ["X-Sdk-Date"] = "20191115T033655Z",
        ["TEST_UNDERSCORE"] = "TEST_VALUE",
    };

    [Test]
    public void Matches_The_Published_Post_Vector()
    {
        string authorization = TestRequestSigner.Sign("POST", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpc/123", s_vectorHeaders, Encoding.UTF8.GetBytes("{\"key\":\"value\"}"), "20191115T033655Z", "AccessKey", "SecretKey");
        Assert.That(authorization, Is.EqualTo("SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=b5649aa774f6cac7437631662f08815fc65c70e40e486df6db2436ce68902771"));
    }

    [Test]
    public void Matches_The_Published_Get_Vector_With_A_Query()
    {
        string authorization = TestRequestSigner.Sign("GET", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpcs?limit=2&marker=13551d6b-755d-4757-b956-536f674975c0", s_vectorHeaders, [], "20191115T033655Z", "AccessKey", "SecretKey");
        Assert.That(authorization, Does.EndWith("SignedHeaders=host;x-sdk-date, Signature=fd95e7da6f695cfb4cabbb9d6b0968aec155bc576b064835282473539ae9ea1d"));
    }

    [TestCase(SignerStyle.DotNetJava, "host;user-agent;x-sdk-date")]
    [TestCase(SignerStyle.Python, "content-type;host;user-agent;x-sdk-date")]
    [TestCase(SignerStyle.NodeJs, "content-type;host;test_underscore;user-agent;x-sdk-date")]
    [TestCase(SignerStyle.Go, "user-agent;x-sdk-date")]
    public void Each_Style_Picks_The_Headers_That_Sdk_Signs(SignerStyle style, string expected)
    {
        string[] names = ["Host", "X-Sdk-Date", "TEST_UNDERSCORE", "Content-Type", "User-Agent"];
        Assert.That(string.Join(";", TestRequestSigner.SelectSignedHeaders(names, style)), Is.EqualTo(expected));
    }
}
