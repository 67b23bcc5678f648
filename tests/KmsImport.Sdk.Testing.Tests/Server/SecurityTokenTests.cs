using System.Net;

namespace KmsImport.Sdk.Testing.Tests.Server;

/// <summary>Temporary AK/SK: when the server expects a security token, a signed request must carry and sign it.</summary>
[CancelAfter(300_000)]
public class SecurityTokenTests
{
    private const string Token = "temporary-security-token-0123456789";

    private LocalKmsServer _server = null!;
    private HttpClient _http = null!;
    private RawKmsClient _client = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await LocalKmsServer.StartAsync(new LocalKmsServerOptions { SecurityToken = Token, MaxFailedSignatures = 0 });
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        _client = new RawKmsClient(_server, _http) { SecurityToken = Token };
    }

    [TearDown]
    public async Task TearDown()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [TestCase(SignerStyle.DotNetJava)]
    [TestCase(SignerStyle.Python)]
    [TestCase(SignerStyle.NodeJs)]
    [TestCase(SignerStyle.Go)]
    public async Task The_Token_Sent_And_Signed_Is_Accepted(SignerStyle style)
    {
        _client.Style = style;
        RawResponse response = await _client.SendAsync("create-key", new { key_alias = "k" });
        Assert.That(_client.LastAuthorization, Does.Contain("x-security-token"));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
    }

    [Test]
    public async Task A_Missing_Token_Is_APIG_0301()
    {
        _client.SecurityToken = null;
        AssertRefused(await _client.SendAsync("create-key", new { key_alias = "k" }));
    }

    [Test]
    public async Task A_Wrong_Token_Is_APIG_0301()
    {
        _client.SecurityToken = "another-temporary-token";
        AssertRefused(await _client.SendAsync("create-key", new { key_alias = "k" }));
    }

    [Test]
    public async Task A_Token_Sent_But_Not_Signed_Is_APIG_0301()
    {
        _client.SecurityToken = null;
        AssertRefused(await _client.SendAsync("create-key", new { key_alias = "k" }, request => request.Headers.TryAddWithoutValidation("X-Security-Token", Token)));
    }

    [Test]
    public async Task The_Token_Changed_After_Signing_Is_APIG_0301()
    {
        AssertRefused(await _client.SendAsync("create-key", new { key_alias = "k" }, request =>
        {
            request.Headers.Remove("X-Security-Token");
            request.Headers.TryAddWithoutValidation("X-Security-Token", Token + "x");
        }));
    }

    [Test]
    public async Task The_Sdk_Client_With_Temporary_Credentials_Is_Accepted_And_Without_The_Token_Refused()
    {
        await using (EndToEndFixture withToken = await EndToEndFixture.StartAsync(o => o.SecurityToken = Token, credential: server => new AccessKeyCredential(server.AccessKey, server.SecretKey, Token)))
        {
            CreateKeyResult created = await withToken.Transport.CreateKeyAsync(new CreateKeyRequest("temporary"));
            Assert.That(withToken.Kms.KeyCount, Is.EqualTo(1), created.KeyId);
        }

        await using EndToEndFixture withoutToken = await EndToEndFixture.StartAsync(o => o.SecurityToken = Token);
        KmsRequestFailedException? ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => withoutToken.Transport.CreateKeyAsync(new CreateKeyRequest("permanent")));
        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(401));
            Assert.That(ex.ErrorCode, Is.EqualTo("APIG.0301"));
            Assert.That(ex.ToString(), Does.Not.Contain(Token));
        });
    }

    private void AssertRefused(RawResponse response)
    {
        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Unauthorized), response.Text);
            Assert.That(response.GatewayErrorCode, Is.EqualTo("APIG.0301"), response.Text);
            Assert.That(response.Text, Does.Not.Contain(Token), "the expected token never appears in an answer");
            Assert.That(_server.Kms.KeyCount, Is.Zero);
        });
    }
}
