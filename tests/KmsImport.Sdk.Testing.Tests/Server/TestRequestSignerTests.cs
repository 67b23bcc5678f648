using System.Text;

namespace KmsImport.Sdk.Testing.Tests.Server;

public class TestRequestSignerTests
{
    [Test]
    public void Matches_The_Published_Post_Vector()
    {
        var headers = new Dictionary<string, string>
        {
            ["Host"] = "service.region.example.com",
            ["X-Sdk-Date"] = "20191115T033655Z",
            ["TEST_UNDERSCORE"] = "TEST_VALUE",
        };
        string authorization = TestRequestSigner.Sign("POST", "/v1/77b6a44cba5143ab91d13ab9a8ff44fd/vpc/123", headers, Encoding.UTF8.GetBytes("{\"key\":\"value\"}"), "20191115T033655Z", "AccessKey", "SecretKey");
        Assert.That(authorization, Is.EqualTo("SDK-HMAC-SHA256 Access=AccessKey, SignedHeaders=host;x-sdk-date, Signature=b5649aa774f6cac7437631662f08815fc65c70e40e486df6db2436ce68902771"));
    }
}
