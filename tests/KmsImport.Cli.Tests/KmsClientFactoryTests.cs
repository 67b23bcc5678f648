namespace KmsImport.Cli.Tests;

[TestFixture]
public sealed class KmsClientFactoryTests
{
    [Test]
    public void The_batch_clients_primary_handler_follows_the_SDKs_rules()
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
