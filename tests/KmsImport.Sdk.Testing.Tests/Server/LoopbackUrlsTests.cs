using System.Net;
using KmsImport.Sdk.Testing.Server;

namespace KmsImport.Sdk.Testing.Tests.Server;

/// <summary>The emulator listens on loopback IP literals only.</summary>
[CancelAfter(120_000)]
public class LoopbackUrlsTests
{
    [TestCase("http://127.0.0.1:0", "http://127.0.0.1:0")]
    [TestCase("http://127.0.0.1:5080/", "http://127.0.0.1:5080")]
    [TestCase("http://127.1.2.3:5080", "http://127.1.2.3:5080")]
    [TestCase("http://[::1]:0", "http://[::1]:0")]
    [TestCase("http://localhost:0", "http://127.0.0.1:0")]
    [TestCase("http://LOCALHOST:5080", "http://127.0.0.1:5080")]
    [TestCase("http://loopback:5080", "http://127.0.0.1:5080")]
    [TestCase("http://127.0.0.1", "http://127.0.0.1:80")]
    [TestCase(" http://127.0.0.1:1 ; http://[::1]:2 ;", "http://127.0.0.1:1;http://[::1]:2")]
    public void Loopback_Urls_Become_Loopback_Ip_Literals(string urls, string expected) =>
        Assert.That(LoopbackUrls.Normalize(urls), Is.EqualTo(expected));

    [TestCase("http://0.0.0.0:5080", "every interface")]
    [TestCase("http://[::]:5080", "every interface")]
    [TestCase("http://*:5080", "absolute http://")]
    [TestCase("http://+:5080", "absolute http://")]
    [TestCase("http://kms.example.com:5080", "host name")]
    [TestCase("http://192.168.1.10:5080", "not a loopback address")]
    [TestCase("http://10.0.0.1:5080", "not a loopback address")]
    [TestCase("http://[fe80::1]:5080", "not a loopback address")]
    [TestCase("http://[::ffff:127.0.0.1]:5080", "not a loopback address")]
    [TestCase("https://127.0.0.1:5080", "plain HTTP")]
    [TestCase("ftp://127.0.0.1:5080", "plain HTTP")]
    [TestCase("127.0.0.1:5080", "absolute http://")]
    [TestCase("http://127.0.0.1:5080/base", "path")]
    [TestCase("http://127.0.0.1:5080/?q=1", "path, query")]
    [TestCase("http://127.0.0.1:0;http://0.0.0.0:0", "every interface")]
    [TestCase(" ; ", "No address")]
    public void Anything_Else_Is_Refused_With_A_Message_That_Says_What_To_Use(string urls, string reason)
    {
        ArgumentException? ex = Assert.Throws<ArgumentException>(() => LoopbackUrls.Normalize(urls));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain(reason));
            Assert.That(ex.Message, Does.Contain("http://127.0.0.1:5080"));
            Assert.That(ex.ParamName, Is.Null);
        });
    }

    [TestCase("http://user:s3cret-pass@127.0.0.1:5080")]
    [TestCase("http://user:s3cret-pass@0.0.0.0:5080")]
    [TestCase("http://user:s3cret-pass@*:5080")]
    public void User_Info_Is_Refused_And_Never_Echoed(string url)
    {
        ArgumentException? ex = Assert.Throws<ArgumentException>(() => LoopbackUrls.Normalize(url));
        Assert.That(ex!.Message, Does.Not.Contain("s3cret-pass"));
        Assert.That(ex.Message, Does.Contain("Cannot listen on"));
    }

    [Test]
    public void Bound_Addresses_Are_Checked()
    {
        Assert.DoesNotThrow(() => LoopbackUrls.EnsureLoopback(["http://127.0.0.1:5080", "http://[::1]:5080"]));
        Assert.Throws<InvalidOperationException>(() => LoopbackUrls.EnsureLoopback(["http://127.0.0.1:5080", "http://[::]:5080"]));
        Assert.Throws<InvalidOperationException>(() => LoopbackUrls.EnsureLoopback(["http://0.0.0.0:5080"]));
        Assert.Throws<InvalidOperationException>(() => LoopbackUrls.EnsureLoopback(["http://localhost:5080"]));
        Assert.Throws<InvalidOperationException>(() => LoopbackUrls.EnsureLoopback(["http://192.168.1.10:5080"]));
    }

    [Test]
    public async Task The_Server_Turns_Localhost_Into_127_0_0_1()
    {
        await using LocalKmsServer server = await LocalKmsServer.StartAsync(new LocalKmsServerOptions { Urls = "http://localhost:0" });
        Assert.Multiple(() =>
        {
            Assert.That(server.Addresses, Has.Count.EqualTo(1));
            Assert.That(server.BaseAddress.Host, Is.EqualTo("127.0.0.1"));
            Assert.That(IPAddress.IsLoopback(IPAddress.Parse(server.BaseAddress.Host)), Is.True);
            Assert.That(server.BaseAddress.Port, Is.GreaterThan(0));
        });
    }

    [TestCase("http://0.0.0.0:0")]
    [TestCase("http://[::]:0")]
    [TestCase("http://loopback.example:0")]
    public void The_Server_Refuses_Non_Loopback_Before_Binding(string urls) =>
        Assert.ThrowsAsync<ArgumentException>(() => LocalKmsServer.StartAsync(new LocalKmsServerOptions { Urls = urls }));
}
