namespace KmsImport.Cli.Tests;

[TestFixture]
public sealed class KmsClientFactoryTests
{
    [Test]
    public void CreatePrimaryHandler_For_The_Batch_Client_Follows_The_Sdks_Handler_Rules()
    {
        using SocketsHttpHandler handler = KmsClientFactory.CreatePrimaryHandler();

        Assert.Multiple(() =>
        {
            Assert.That(handler.AllowAutoRedirect, Is.False);
            Assert.That(handler.AutomaticDecompression, Is.EqualTo(System.Net.DecompressionMethods.None));
            Assert.That(handler.PooledConnectionLifetime, Is.EqualTo(TimeSpan.FromMinutes(5)));
        });
    }
}
