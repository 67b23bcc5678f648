using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace KmsImport.Sdk.Testing.Tests.Server;

/// <summary>
/// Requests signed as each official Huawei Cloud SDK signs them (by <see cref="TestRequestSigner"/>,
/// written from the algorithm) over real loopback sockets: accepted; a listed header absent, a
/// signed header or the body changed after signing: APIG.0301.
/// </summary>
[CancelAfter(300_000)]
public sealed partial class SignatureStyleTests
{
    private LocalKmsServer _server = null!;
    private HttpClient _http = null!;
    private RawKmsClient _client = null!;

    [SetUp]
    public async Task SetUp()
    {
        // No lockout: some tests here send several bad signatures in a row.
        _server = await LocalKmsServer.StartAsync(new LocalKmsServerOptions { MaxFailedSignatures = 0 });
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        _client = new RawKmsClient(_server, _http);
        _client.ExtraHeaders["X_Trace_Id"] = "trace-1";
        _client.ExtraHeaders["User-Agent"] = "huaweicloud-usdk-go/3.0";
    }

    [TearDown]
    public async Task TearDown()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [TestCase(SignerStyle.DotNetJava, "host;user-agent;x-project-id;x-sdk-date")]
    [TestCase(SignerStyle.Python, "content-type;host;user-agent;x-project-id;x-sdk-date")]
    [TestCase(SignerStyle.NodeJs, "content-type;host;user-agent;x-project-id;x-sdk-date;x_trace_id")]
    [TestCase(SignerStyle.Go, "user-agent;x-project-id;x-sdk-date")]
    public async Task Each_Official_Sdk_Style_Is_Accepted(SignerStyle style, string expectedSignedHeaders)
    {
        _client.Style = style;
        RawResponse response = await _client.SendAsync("create-key", new { key_alias = "style-" + style });
        Assert.Multiple(() =>
        {
            Assert.That(SignedHeadersOf(_client.LastAuthorization), Is.EqualTo(expectedSignedHeaders), "the style signs what that SDK signs");
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
            Assert.That(_server.Kms.KeyCount, Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Node_Style_With_Only_Content_Type_Application_Json_Is_Accepted_Without_Extra_Headers()
    {
        _client.ExtraHeaders.Clear();
        _client.Style = SignerStyle.NodeJs;
        RawResponse response = await _client.SendAsync("create-key", new { key_alias = "node" });
        Assert.That(SignedHeadersOf(_client.LastAuthorization), Is.EqualTo("content-type;host;x-project-id;x-sdk-date"), "the list observed from Node.js 3.1.211");
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
    }

    [TestCase(SignerStyle.DotNetJava, "X-Project-Id")]
    [TestCase(SignerStyle.Python, "Content-Type")]
    [TestCase(SignerStyle.NodeJs, "X_Trace_Id")]
    [TestCase(SignerStyle.Go, "User-Agent")]
    [TestCase(SignerStyle.Go, "X-Sdk-Date")]
    public async Task A_Signed_Header_Absent_From_The_Request_Is_APIG_0301(SignerStyle style, string header)
    {
        _client.Style = style;
        RawResponse response = await _client.SendAsync("create-key", new { key_alias = "k" }, request =>
            Assert.That(header == "Content-Type" ? request.Content!.Headers.Remove(header) : request.Headers.Remove(header), Is.True, header));
        AssertRefused(response);
    }

    [TestCase(SignerStyle.Python, "Content-Type", "application/xml")]
    [TestCase(SignerStyle.NodeJs, "Content-Type", "application/json;charset=UTF-8")]
    [TestCase(SignerStyle.NodeJs, "X_Trace_Id", "trace-2")]
    [TestCase(SignerStyle.Go, "User-Agent", "curl/8.0")]
    [TestCase(SignerStyle.DotNetJava, "X-Project-Id", "0123456789abcdef0123456789abcdef")]
    public async Task A_Signed_Header_Changed_After_Signing_Is_APIG_0301(SignerStyle style, string header, string value)
    {
        _client.Style = style;
        RawResponse response = await _client.SendAsync("create-key", new { key_alias = "k" }, request => Replace(request, header, value));
        AssertRefused(response);
    }

    [TestCase(SignerStyle.DotNetJava, "Content-Type", "application/xml")]
    [TestCase(SignerStyle.DotNetJava, "X_Trace_Id", "trace-2")]
    [TestCase(SignerStyle.Go, "Host", "kms.example.com")]
    [TestCase(SignerStyle.Go, "Content-Type", "text/plain")]
    public async Task A_Header_The_Client_Did_Not_Sign_May_Change(SignerStyle style, string header, string value)
    {
        _client.Style = style;
        RawResponse response = await _client.SendAsync("create-key", new { key_alias = "k" }, request => Replace(request, header, value));
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), "only the headers in SignedHeaders are verified: " + response.Text);
    }

    [TestCase(SignerStyle.DotNetJava)]
    [TestCase(SignerStyle.Python)]
    [TestCase(SignerStyle.NodeJs)]
    [TestCase(SignerStyle.Go)]
    public async Task The_Body_Changed_After_Signing_Is_APIG_0301(SignerStyle style)
    {
        _client.Style = style;
        RawResponse response = await _client.SendAsync("create-key", new { key_alias = "k" }, request =>
        {
            string? contentType = request.Content!.Headers.GetValues("Content-Type").Single();
            request.Content = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"key_alias\":\"x\"}"));
            request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        });
        AssertRefused(response);
    }

    [Test]
    public async Task SignedHeaders_Without_X_Sdk_Date_Is_APIG_0301()
    {
        // A signature must cover its date (Huawei's signing guide: X-Sdk-Date must be signed).
        RawResponse response = await _client.SendAsync("create-key", new { key_alias = "k" }, request =>
        {
            string date = request.Headers.GetValues("X-Sdk-Date").Single();
            string path = request.RequestUri!.AbsolutePath;
            var headers = new Dictionary<string, string> { ["host"] = request.Headers.Host!, ["x-project-id"] = _server.ProjectId };
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", TestRequestSigner.SignExactly("POST", path, headers, ["host", "x-project-id"], Encoding.UTF8.GetBytes("{\"key_alias\":\"k\"}"), date, _server.AccessKey, _server.SecretKey));
        });
        AssertRefused(response);
        Assert.That(response.Json["error_msg"]!.GetValue<string>(), Does.Contain("x-sdk-date"));
    }

    [Test]
    public async Task Signed_Headers_In_Any_Listed_Order_And_Mixed_Case_Values_Verify()
    {
        // The verifier rebuilds the canonical headers in the order the client listed them.
        RawResponse response = await _client.SendAsync("create-key", new { key_alias = "k" }, request =>
        {
            string date = request.Headers.GetValues("X-Sdk-Date").Single();
            var headers = new Dictionary<string, string> { ["host"] = request.Headers.Host!, ["x-project-id"] = _server.ProjectId, ["x-sdk-date"] = date };
            request.Headers.Remove("Authorization");
            request.Headers.TryAddWithoutValidation("Authorization", TestRequestSigner.SignExactly("POST", request.RequestUri!.AbsolutePath, headers, ["x-sdk-date", "host", "x-project-id"], Encoding.UTF8.GetBytes("{\"key_alias\":\"k\"}"), date, _server.AccessKey, _server.SecretKey));
        });
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Text);
    }

    private static void Replace(HttpRequestMessage request, string header, string value)
    {
        if (header == "Host")
        {
            request.Headers.Host = value;
            return;
        }

        if (header.Equals("Content-Type", StringComparison.OrdinalIgnoreCase))
        {
            request.Content!.Headers.Remove(header);
            request.Content.Headers.TryAddWithoutValidation(header, value);
            return;
        }

        request.Headers.Remove(header);
        request.Headers.TryAddWithoutValidation(header, value);
    }

    private void AssertRefused(RawResponse response)
    {
        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Unauthorized), response.Text);
            Assert.That(response.GatewayErrorCode, Is.EqualTo("APIG.0301"), response.Text);
            Assert.That(response.Json["request_id"]!.GetValue<string>(), Is.EqualTo(response.RequestId));
            Assert.That(_server.Kms.KeyCount, Is.Zero, "nothing processed");
        });
    }

    private static string SignedHeadersOf(string? authorization) => SignedHeadersPattern().Match(authorization ?? string.Empty).Groups[1].Value;

    [GeneratedRegex("SignedHeaders=([^,]+),")]
    private static partial Regex SignedHeadersPattern();
}
