namespace KmsImport.Sdk.Tests.Client;

// Every default is pinned here.
public class KeyImportClientOptionsTests
{
    [Test]
    public void Constructor_Sets_The_Documented_Defaults()
    {
        var options = new KeyImportClientOptions();

        Assert.Multiple(() =>
        {
            Assert.That(options.Endpoint, Is.Null);
            Assert.That(options.Region, Is.Null);
            Assert.That(options.Cloud, Is.EqualTo(KmsCloud.Huawei));
            Assert.That(options.ProjectId, Is.Null);
            Assert.That(options.ImportParametersSafetyMargin, Is.EqualTo(TimeSpan.FromMinutes(5)));
            Assert.That(options.Retry, Is.Not.Null);
        });
    }
}
