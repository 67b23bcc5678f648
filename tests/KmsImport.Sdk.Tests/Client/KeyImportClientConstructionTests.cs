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
    public void Constructor_rejects_a_null_transport() =>
        Assert.That(() => new KeyImportClient(null!), Throws.ArgumentNullException);

    [TestCase(-1)]
    [TestCase(24 * 60)]
    public void Constructor_rejects_a_safety_margin_outside_the_parameters_lifetime(int minutes)
    {
        var options = new KeyImportClientOptions { ImportParametersSafetyMargin = TimeSpan.FromMinutes(minutes) };

        Assert.That(
            () => new KeyImportClient(Mock.Of<IKmsTransport>(), options),
            Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("ImportParametersSafetyMargin"));
    }

    [Test]
    public void A_client_without_DI_refuses_bad_options_before_any_network_call()
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
    public void A_client_without_DI_refuses_a_plain_http_endpoint_that_is_not_loopback()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => _ = new KeyImportClient(
            new Uri("http://kms.example.com"),
            new AccessKeyCredential("AK", SecretKey),
            new KeyImportClientOptions { ProjectId = TransportHarness.ProjectId }));

        Assert.That(ex!.Message, Does.Contain("uses plain HTTP"));
    }

    [Test]
    public void A_client_without_DI_takes_the_region_endpoint_and_ignores_the_options_endpoint()
    {
        var options = new KeyImportClientOptions { Endpoint = new Uri("http://kms.example.com"), ProjectId = TransportHarness.ProjectId };

        using var client = new KeyImportClient("eu-de", KmsCloud.OpenTelekomCloud, new IamTokenCredential("t"), options);

        Assert.That(options.Endpoint, Is.EqualTo(new Uri("http://kms.example.com")), "the caller's options are not changed");
    }

    [Test]
    public void Null_arguments_of_the_constructors_without_DI_are_refused()
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
