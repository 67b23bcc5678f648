using System.Net;
using System.Text.Json;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Testing.Tests.Server;

[CancelAfter(300_000)]
public class LocalKmsFaultTests
{
    private LocalKmsServer _server = null!;
    private HttpClient _http = null!;
    private RawKmsClient _client = null!;

    [SetUp]
    public async Task SetUp()
    {
        _server = await LocalKmsServer.StartAsync();
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        _client = new RawKmsClient(_server, _http);
    }

    [TearDown]
    public async Task TearDown()
    {
        _http.Dispose();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task Throttle_Answers_429_With_Retry_After_And_Processes_Nothing()
    {
        LocalKmsFault fault = _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Throttle) { Operation = "create-key", RetryAfter = TimeSpan.FromSeconds(2) });
        RawResponse throttled = await _client.SendAsync("create-key", new { key_alias = "k" });
        Assert.Multiple(() =>
        {
            Assert.That(throttled.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
            Assert.That(throttled.GatewayErrorCode, Is.EqualTo("APIG.0308"));
            Assert.That(throttled.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(2)));
            Assert.That(throttled.RequestId, Is.Not.Null);
            Assert.That(_server.Kms.KeyCount, Is.Zero);
            Assert.That(fault.Triggered, Is.EqualTo(1));
        });
        Assert.That((await _client.SendAsync("create-key", new { key_alias = "k" })).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(_server.Faults.PendingCount, Is.Zero);
    }

    [Test]
    public async Task Server_Error_Before_Processing_Changes_Nothing_And_After_Processing_Hides_A_Success()
    {
        _server.Faults.Add(LocalKmsFaultKind.ServerError, "create-key");
        RawResponse before = await _client.SendAsync("create-key", new { key_alias = "k" });
        Assert.That(before.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(before.KmsErrorCode, Is.EqualTo("KMS.0101"));
        Assert.That(_server.Kms.KeyCount, Is.Zero);

        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.ServerError) { Operation = "create-key", StatusCode = 503, Timing = LocalKmsFaultTiming.AfterProcessing });
        RawResponse after = await _client.SendAsync("create-key", new { key_alias = "k" });
        Assert.That(after.Status, Is.EqualTo(HttpStatusCode.ServiceUnavailable));
        Assert.That(after.KmsErrorCode, Is.EqualTo("KMS.0103"));
        Assert.That(_server.Kms.KeyCount, Is.EqualTo(1));
    }

    [Test]
    public async Task Dropped_Connection_After_Processing_An_Import_Leaves_The_Key_Imported()
    {
        string keyId = await LocalKmsTestKit.CreateExternalKeyAsync(_server.Kms, KeySpec.Aes256);
        ImportParameters parameters = await _server.Kms.GetParametersForImportAsync(new(keyId));
        using KeyMaterial material = LocalKmsTestKit.RandomSymmetric(KeySpec.Aes256);
        WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(material, parameters.WrappingKey, parameters.WrappingAlgorithm);
        var body = new { key_id = keyId, import_token = parameters.ImportToken, encrypted_key_material = wrapped.EncryptedKeyMaterialBase64 };

        _server.Faults.Add(LocalKmsFaultKind.DropConnection, "import-key-material");
        Assert.ThrowsAsync<HttpRequestException>(() => _client.SendAsync("import-key-material", body));
        Assert.That(_server.Kms.GetImportCount(keyId), Is.Zero);

        _server.Faults.Add(LocalKmsFaultKind.DropConnection, "import-key-material", timing: LocalKmsFaultTiming.AfterProcessing);
        Assert.ThrowsAsync<HttpRequestException>(() => _client.SendAsync("import-key-material", body));
        Assert.That(_server.Kms.GetImportCount(keyId), Is.EqualTo(1));

        // The honest answer to a retry: the token is spent and the key is no longer pending import.
        RawResponse retry = await _client.SendAsync("import-key-material", body);
        Assert.That(retry.KmsErrorCode, Is.EqualTo("KMS.2605"));
    }

    [Test]
    public async Task Latency_After_Processing_Outlasts_The_Clients_Timeout_But_The_Import_Happened()
    {
        string keyId = await LocalKmsTestKit.CreateExternalKeyAsync(_server.Kms, KeySpec.Aes256);
        ImportParameters parameters = await _server.Kms.GetParametersForImportAsync(new(keyId));
        using KeyMaterial material = LocalKmsTestKit.RandomSymmetric(KeySpec.Aes256);
        WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(material, parameters.WrappingKey, parameters.WrappingAlgorithm);

        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Latency) { Operation = "import-key-material", Latency = TimeSpan.FromMinutes(5), Timing = LocalKmsFaultTiming.AfterProcessing });
        using var attempt = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        Assert.CatchAsync<OperationCanceledException>(() => _client.SendAsync("import-key-material", new { key_id = keyId, import_token = parameters.ImportToken, encrypted_key_material = wrapped.EncryptedKeyMaterialBase64 }, cancellationToken: attempt.Token));

        // On a loaded machine the client may give up while the server is still unwrapping.
        while (_server.Kms.GetImportCount(keyId) == 0)
        {
            await Task.Delay(20);
        }

        Assert.That(_server.Kms.GetImportCount(keyId), Is.EqualTo(1));
    }

    [Test]
    public async Task Latency_Before_Processing_Then_A_Normal_Answer()
    {
        LocalKmsFault fault = _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Latency) { Operation = "describe-key", Latency = TimeSpan.FromMilliseconds(50) });
        RawResponse response = await _client.SendAsync("describe-key", new { key_id = Guid.NewGuid().ToString() });
        Assert.That(response.KmsErrorCode, Is.EqualTo("KMS.0207"));
        Assert.That(fault.Triggered, Is.EqualTo(1));
    }

    [Test]
    public async Task Malformed_Json_Is_A_200_That_Does_Not_Parse()
    {
        _server.Faults.Add(LocalKmsFaultKind.MalformedJson, "create-key");
        RawResponse response = await _client.SendAsync("create-key", new { key_alias = "k" });
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.Catch<JsonException>(() => JsonDocument.Parse(response.Body));
    }

    [Test]
    public async Task Truncated_Body_Fails_While_Reading()
    {
        await _server.Kms.CreateKeyAsync(new("k"));
        _server.Faults.Add(LocalKmsFaultKind.TruncatedBody, "create-key", timing: LocalKmsFaultTiming.AfterProcessing);
        Assert.CatchAsync<HttpRequestException>(() => _client.SendAsync("create-key", new { key_alias = "k2" }));
        Assert.That(_server.Kms.KeyCount, Is.EqualTo(2));
    }

    [Test]
    public async Task Html_Error_Page_Is_A_502_In_Html()
    {
        _server.Faults.Add(LocalKmsFaultKind.HtmlErrorPage);
        RawResponse response = await _client.SendAsync("describe-key", new { key_id = Guid.NewGuid().ToString() });
        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.BadGateway));
            Assert.That(response.MediaType, Is.EqualTo("text/html"));
            Assert.That(response.Text, Does.StartWith("<!DOCTYPE html>"));
            Assert.That(response.RequestId, Is.Not.Null);
        });
    }

    [Test]
    public async Task Oversized_Body_Has_The_Configured_Length()
    {
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.OversizedBody) { OversizedBodyLength = 2 * 1024 * 1024 });
        RawResponse response = await _client.SendAsync("describe-key", new { key_id = Guid.NewGuid().ToString() });
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(response.Body, Has.Length.EqualTo(2 * 1024 * 1024));
    }

    [Test]
    public async Task Faults_Strike_Their_Count_Only_For_Their_Operation()
    {
        LocalKmsFault fault = _server.Faults.Add(LocalKmsFaultKind.ServerError, "create-key", count: 2);
        RawResponse describe = await _client.SendAsync("describe-key", new { key_id = Guid.NewGuid().ToString() });
        RawResponse first = await _client.SendAsync("create-key", new { key_alias = "k" });
        RawResponse second = await _client.SendAsync("create-key", new { key_alias = "k" });
        RawResponse third = await _client.SendAsync("create-key", new { key_alias = "k" });
        Assert.Multiple(() =>
        {
            Assert.That(describe.Status, Is.EqualTo(HttpStatusCode.NotFound));
            Assert.That(first.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(second.Status, Is.EqualTo(HttpStatusCode.InternalServerError));
            Assert.That(third.Status, Is.EqualTo(HttpStatusCode.OK));
            Assert.That(fault.Triggered, Is.EqualTo(2));
            Assert.That(_server.GetRequestCount("create-key"), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Clear_Disarms_Faults()
    {
        _server.Faults.Add(LocalKmsFaultKind.DropConnection, count: 10);
        _server.Faults.Clear();
        Assert.That((await _client.SendAsync("create-key", new { key_alias = "k" })).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void Invalid_Faults_Are_Refused()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => _server.Faults.Add(LocalKmsFaultKind.Throttle, count: 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Latency) { Latency = TimeSpan.FromSeconds(-1) }));
    }

    [Test]
    public async Task Dispose_Ends_A_Pending_Injected_Delay()
    {
        LocalKmsServer server = await LocalKmsServer.StartAsync();
        server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Latency) { Latency = TimeSpan.FromMinutes(10) });
        var client = new RawKmsClient(server, _http);
        Task<RawResponse> pending = client.SendAsync("create-key", new { key_alias = "k" });
        while (server.GetRequestCount("create-key") == 0)
        {
            await Task.Delay(10);
        }

        await server.DisposeAsync();
        Assert.CatchAsync<HttpRequestException>(() => pending);
    }
}
