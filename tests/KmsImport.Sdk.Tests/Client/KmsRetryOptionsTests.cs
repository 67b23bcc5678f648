namespace KmsImport.Sdk.Tests.Client;

// Every default is pinned here.
public class KmsRetryOptionsTests
{
    [Test]
    public void Constructor_Sets_The_Documented_Defaults()
    {
        var retry = new KmsRetryOptions();

        Assert.Multiple(() =>
        {
            Assert.That(retry.MaxRetryAttempts, Is.EqualTo(3));
            Assert.That(retry.BaseDelay, Is.EqualTo(TimeSpan.FromSeconds(1)));
            Assert.That(retry.MaxDelay, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(retry.AttemptTimeout, Is.EqualTo(TimeSpan.FromSeconds(30)));
            Assert.That(retry.TotalTimeout, Is.EqualTo(TimeSpan.FromMinutes(2)));
        });
    }
}
