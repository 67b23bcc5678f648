using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace KmsImport.Sdk.Testing.Tests.EndToEnd.Transport;

/// <summary>
/// Redirects never carry secrets: a loopback server answers 307 to a second loopback server, which
/// must receive nothing, whatever handler the transport was given; the call fails with a clear error.
/// </summary>
[CancelAfter(60_000)]
public class RedirectEndToEndTests
{
    private const string KeyId = "0d0466b0-e727-4d9c-b35d-f84bb474a37f";
    private static readonly AccessKeyCredential s_credential = new("REDIRECTTESTACCESSKY", "redirect-test-secret-key-0000000000000001");

    private static IEnumerable<TestCaseData> ReplacedPrimaryHandlers()
    {
        // Both follow redirects by default; the registration turns that off after the caller's configuration.
        yield return new TestCaseData(new Func<HttpMessageHandler>(() => new SocketsHttpHandler())).SetArgDisplayNames("SocketsHttpHandler");
        yield return new TestCaseData(new Func<HttpMessageHandler>(() => new HttpClientHandler())).SetArgDisplayNames("HttpClientHandler");
    }

    [TestCaseSource(nameof(ReplacedPrimaryHandlers))]
    public async Task A_Primary_Handler_Replaced_Through_The_Builder_Never_Follows_A_Redirect(Func<HttpMessageHandler> handler)
    {
        await using LoopbackHttpServer second = LoopbackHttpServer.Describing(KeyId);
        await using LoopbackHttpServer first = LoopbackHttpServer.RedirectingTo(second.BaseAddress);
        var services = new ServiceCollection();
        services.AddKeyImportClient(s_credential, options => Configure(options, first.BaseAddress)).ConfigurePrimaryHttpMessageHandler(handler);
        await using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => provider.GetRequiredService<IKmsTransport>().DescribeKeyAsync(new DescribeKeyRequest(KeyId)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(307));
            Assert.That(ex.Message, Does.Contain("redirect"));
            Assert.That(first.Requests, Is.EqualTo(1), "a redirect is not retried");
            Assert.That(second.Requests, Is.Zero, "the redirect target received nothing");
        });
    }

    [Test]
    public async Task The_Default_Registration_Never_Follows_A_Redirect()
    {
        await using LoopbackHttpServer second = LoopbackHttpServer.Describing(KeyId);
        await using LoopbackHttpServer first = LoopbackHttpServer.RedirectingTo(second.BaseAddress);
        var services = new ServiceCollection();
        services.AddKeyImportClient(s_credential, options => Configure(options, first.BaseAddress));
        await using ServiceProvider provider = services.BuildServiceProvider();

        Assert.ThrowsAsync<KmsRequestFailedException>(() => provider.GetRequiredService<IKmsTransport>().DescribeKeyAsync(new DescribeKeyRequest(KeyId)));

        Assert.That(second.Requests, Is.Zero);
    }

    [Test]
    public async Task An_HttpClient_Whose_Handler_Does_Not_Follow_Redirects_Sends_Nothing_To_The_Target()
    {
        await using LoopbackHttpServer second = LoopbackHttpServer.Describing(KeyId);
        await using LoopbackHttpServer first = LoopbackHttpServer.RedirectingTo(second.BaseAddress);
        using var httpClient = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false }) { Timeout = Timeout.InfiniteTimeSpan };
        var transport = new HttpKmsTransport(httpClient, s_credential, Options(first.BaseAddress));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => transport.DescribeKeyAsync(new DescribeKeyRequest(KeyId)));

        Assert.That(ex!.Message, Does.Contain("redirects are not followed"));
        Assert.That(second.Requests, Is.Zero);
    }

    // The limit of the public HttpClient constructor: a caller's client that follows redirects has
    // already sent the request to the target when the transport sees the answer. The transport refuses
    // that answer (the final URI is on another port), so no result from elsewhere is ever used; the
    // documentation tells callers to give a handler with AllowAutoRedirect = false.
    [Test]
    public async Task An_Answer_From_Another_Origin_Is_Refused_Even_When_A_Caller_S_HttpClient_Followed_The_Redirect()
    {
        await using LoopbackHttpServer second = LoopbackHttpServer.Describing(KeyId);
        await using LoopbackHttpServer first = LoopbackHttpServer.RedirectingTo(second.BaseAddress);
        using var httpClient = new HttpClient { Timeout = Timeout.InfiniteTimeSpan };
        var transport = new HttpKmsTransport(httpClient, s_credential, Options(first.BaseAddress));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => transport.DescribeKeyAsync(new DescribeKeyRequest(KeyId)));

        Assert.That(ex!.Message, Does.Contain($"redirected to {second.BaseAddress.GetLeftPart(UriPartial.Authority)}").And.Contain("AllowAutoRedirect = false"));
    }

    private static KeyImportClientOptions Options(Uri endpoint)
    {
        var options = new KeyImportClientOptions();
        Configure(options, endpoint);
        return options;
    }

    private static void Configure(KeyImportClientOptions options, Uri endpoint)
    {
        options.Endpoint = endpoint;
        options.ProjectId = "0123456789abcdef0123456789abcdef";
        options.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
    }
}
