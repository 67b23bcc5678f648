using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Options;
using Moq;

namespace KmsImport.Sdk.Tests.Client;

// The client's constructors: with a transport, and without DI (endpoint or region plus a credential).
public class KeyImportClientConstructionTests
{
    private const string SecretKey = "credential-secret-key-never-shown";

    [Test]
    public void Constructor_Rejects_A_Null_Transport() =>
        Assert.That(() => new KeyImportClient(null!), Throws.ArgumentNullException);

    [TestCase(-1)]
    [TestCase(24 * 60)]
    public void Constructor_Rejects_A_Safety_Margin_Outside_The_Parameters_Lifetime(int minutes)
    {
        var options = new KeyImportClientOptions { ImportParametersSafetyMargin = TimeSpan.FromMinutes(minutes) };

        Assert.That(
            () => new KeyImportClient(Mock.Of<IKmsTransport>(), options),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("ImportParametersSafetyMargin"));
    }

    [Test]
    public void A_Client_Without_DI_Refuses_Bad_Options_Before_Any_Network_Call()
    {
        // Port 9 on loopback (discard): nothing is ever sent there, the constructor refuses first.
        var ex = Assert.Throws<OptionsValidationException>(() => _ = new KeyImportClient(
            new Uri("http://127.0.0.1:9"),
            new AccessKeyCredential("AKNOTSENT0000000001", SecretKey),
            new KeyImportClientOptions { ProjectId = "not a project id!" }));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("'not a project id!' is not a project id"));
            Assert.That(ex.Message, Does.Not.Contain(SecretKey));
        });
    }

    [Test]
    public void A_Client_Without_DI_Refuses_A_Plain_Http_Endpoint_That_Is_Not_Loopback()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => _ = new KeyImportClient(
            new Uri("http://kms.example.com"),
            new AccessKeyCredential("AK", SecretKey),
            new KeyImportClientOptions { ProjectId = TransportHarness.ProjectId }));

        Assert.That(ex!.Message, Does.Contain("uses plain HTTP"));
    }

    [Test]
    public void A_Client_Without_DI_Takes_The_Region_Endpoint_And_Ignores_The_Options_Endpoint()
    {
        var options = new KeyImportClientOptions { Endpoint = new Uri("http://kms.example.com"), ProjectId = TransportHarness.ProjectId };

        using var client = new KeyImportClient("eu-de", KmsCloud.OpenTelekomCloud, new IamTokenCredential("t"), options);

        Assert.That(options.Endpoint, Is.EqualTo(new Uri("http://kms.example.com")), "the caller's options are not changed");
    }

    [Test]
    public void Null_Arguments_Of_The_Constructors_Without_DI_Are_Refused()
    {
        var credential = new IamTokenCredential("t");
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentNullException>(() => _ = new KeyImportClient((Uri)null!, credential));
            Assert.Throws<ArgumentNullException>(() => _ = new KeyImportClient(new Uri("https://kms.eu-de.otc.t-systems.com"), null!));
            Assert.Throws<ArgumentNullException>(() => _ = new KeyImportClient((string)null!, KmsCloud.Huawei, credential));
            Assert.Throws<ArgumentException>(() => _ = new KeyImportClient(" ", KmsCloud.Huawei, credential));
        });
    }
}
