using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Options;

namespace KmsImport.Sdk.Tests.Transport;

public class KmsEndpointsTests
{
    [TestCase(KmsCloud.Huawei, "cn-north-4", "https://kms.cn-north-4.myhuaweicloud.com/")]
    [TestCase(KmsCloud.Huawei, "ap-southeast-1", "https://kms.ap-southeast-1.myhuaweicloud.com/")]
    [TestCase(KmsCloud.Huawei, "eu-west-101", "https://kms.eu-west-101.myhuaweicloud.eu/")]
    [TestCase(KmsCloud.OpenTelekomCloud, "eu-de", "https://kms.eu-de.otc.t-systems.com/")]
    [TestCase(KmsCloud.OpenTelekomCloud, "eu-nl", "https://kms.eu-nl.otc.t-systems.com/")]
    public void Region_And_Cloud_Give_The_Endpoint(KmsCloud cloud, string region, string expected)
    {
        var harness = new TransportHarness(o =>
        {
            o.Endpoint = null;
            o.Region = region;
            o.Cloud = cloud;
        });

        Assert.That(harness.CreateTransport().Endpoint.AbsoluteUri, Is.EqualTo(expected));
    }

    [Test]
    public void Explicit_Endpoint_Takes_Precedence_Over_Region()
    {
        var harness = new TransportHarness(o =>
        {
            o.Endpoint = new Uri("https://kms.private.example.com:8443");
            o.Region = "eu-de";
        });

        Assert.That(harness.CreateTransport().Endpoint, Is.EqualTo(new Uri("https://kms.private.example.com:8443")));
    }

    [Test]
    public void Operation_Uri_Keeps_A_Base_Path_And_Escapes_Nothing_Else()
    {
        Uri uri = KmsEndpoints.ForOperation(new Uri("https://gateway.example.com/kms-proxy/"), "p1", "describe-key");

        Assert.That(uri.AbsoluteUri, Is.EqualTo("https://gateway.example.com/kms-proxy/v1.0/p1/kms/describe-key"));
    }

    [TestCase("http://127.0.0.1:8080")]
    [TestCase("http://127.45.6.7")]
    [TestCase("http://[::1]:1234")]
    [TestCase("http://localhost:5000/")]
    [TestCase("https://kms.eu-de.otc.t-systems.com")]
    public void Https_And_Loopback_Http_Are_Accepted(string endpoint)
    {
        var harness = new TransportHarness(o => o.Endpoint = new Uri(endpoint));

        Assert.That(harness.CreateTransport().Endpoint, Is.EqualTo(new Uri(endpoint)));
    }

    [TestCase("http://kms.eu-de.otc.t-systems.com", "plain HTTP")]
    [TestCase("http://10.0.0.1:8080", "plain HTTP")]
    [TestCase("http://localhost.example.com", "plain HTTP")]
    [TestCase("ftp://127.0.0.1", "scheme 'ftp'")]
    [TestCase("https://user:pw@kms.example.com", "user info")]
    [TestCase("https://kms.example.com/?x=1", "query")]
    public void Other_Endpoints_Are_Refused_With_A_Clear_Message(string endpoint, string reason)
    {
        var harness = new TransportHarness(o => o.Endpoint = new Uri(endpoint));

        var ex = Assert.Throws<OptionsValidationException>(() => harness.CreateTransport());

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("KeyImportClientOptions.Endpoint").And.Contain(reason));
            Assert.That(ex.Message, Does.Not.Contain("pw@"));
        });
    }

    [TestCase("EU-DE")]
    [TestCase("eu-de.evil.com/")]
    [TestCase("eu de")]
    public void Region_Names_That_Are_Not_Plain_Are_Refused(string region)
    {
        var harness = new TransportHarness(o =>
        {
            o.Endpoint = null;
            o.Region = region;
        });

        var ex = Assert.Throws<OptionsValidationException>(() => harness.CreateTransport());

        Assert.That(ex!.Message, Does.Contain("KeyImportClientOptions.Region").And.Contain(region));
    }
}
