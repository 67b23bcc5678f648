namespace KmsImport.Cli.Tests;

[TestFixture]
public sealed class KmsClientFactoryTests
{
    [Test]
    public void CreatePrimaryHandler_ForTheBatchClient_FollowsTheSdksHandlerRules()
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
