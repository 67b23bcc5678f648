using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using static KmsImport.Sdk.Testing.Tests.TestSupport.LocalKmsTestKit;

namespace KmsImport.Sdk.Testing.Tests.EndToEnd.Resilience;

// The HTTPS transport as AddKeyImportClient registers it (named HttpClient, real SocketsHttpHandler)
// against the served emulator over loopback sockets, with faults injected before or after the
// request is processed: retries where the service certainly did nothing, status 0 or 5xx (and
// never a second import) where it may have.
[CancelAfter(60_000)]
public class HttpKmsTransportResilienceEndToEndTests
{
    private LocalKmsServer _server = null!;
    private ServiceProvider _provider = null!;

    private IKmsTransport Transport => _provider.GetRequiredService<IKmsTransport>();

    [SetUp]
    public async Task SetUp()
    {
        _server = await LocalKmsServer.StartAsync(CreateServerOptions());
        _provider = CreateProvider(_server, _ => { });
    }

    [TearDown]
    public async Task TearDown()
    {
        await _provider.DisposeAsync();
        await _server.DisposeAsync();
    }

    [Test]
    public async Task Expired_Iam_Token_Is_Refreshed_Once_Through_The_Provider()
    {
        LocalKmsServerOptions options = CreateServerOptions();
        options.AuthTokens["expired-token"] = DateTimeOffset.UtcNow.AddHours(-1);
        options.AuthTokens["fresh-token"] = DateTimeOffset.UtcNow.AddHours(1);
        await using LocalKmsServer server = await LocalKmsServer.StartAsync(options);
        var tokens = new Queue<string>(["expired-token", "fresh-token"]);
        int calls = 0;

        // The provider believes its first token valid for an hour; the service has already expired it.
        await using ServiceProvider provider = CreateProvider(server, _ => { }, new IamTokenCredential(_ =>
        {
            Interlocked.Increment(ref calls);
            return ValueTask.FromResult(new IamToken(tokens.Dequeue(), DateTimeOffset.UtcNow.AddHours(1)));
        }));

        string keyId = await CreateExternalKeyAsync(provider.GetRequiredService<IKmsTransport>(), KeySpec.Aes256);

        Assert.Multiple(() =>
        {
            Assert.That(keyId, Is.Not.Empty);
            Assert.That(calls, Is.EqualTo(2));
            Assert.That(server.GetRequestCount("create-key"), Is.EqualTo(2));
            Assert.That(server.Kms.KeyCount, Is.EqualTo(1), "the rejected create-key created nothing");
        });
    }

    [Test]
    public async Task Describe_Key_Is_Retried_After_A_Dropped_Connection_And_An_Attempt_Timeout()
    {
        (string keyId, _) = await ImportNewAsync(Transport, KeySpec.Aes256);
        await using ServiceProvider impatient = CreateProvider(_server, o => o.Retry.AttemptTimeout = TimeSpan.FromMilliseconds(500));
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.DropConnection) { Operation = "describe-key" });
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Latency) { Operation = "describe-key", Latency = TimeSpan.FromSeconds(5) });

        KeyDetails details = await impatient.GetRequiredService<IKmsTransport>().DescribeKeyAsync(new DescribeKeyRequest(keyId));

        Assert.Multiple(() =>
        {
            Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(_server.GetRequestCount("describe-key"), Is.EqualTo(3));
        });
    }

    [Test]
    public async Task Import_Dropped_Before_Processing_Is_Still_An_Unknown_Outcome_And_Nothing_Was_Imported()
    {
        // The transport cannot tell "before" from "after": the request was sent, so it is not
        // retried and the caller (the client workflow) resolves it with describe-key.
        string keyId = await CreateExternalKeyAsync(Transport, KeySpec.Aes256);
        ImportParameters parameters = await Transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.DropConnection) { Operation = "import-key-material" });

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => Transport.ImportKeyMaterialAsync(Wrap(parameters, RandomSymmetric(KeySpec.Aes256))));
        KeyDetails details = await Transport.DescribeKeyAsync(new DescribeKeyRequest(keyId));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.Zero);
            Assert.That(ex.IsOutcomeUnknown, Is.True);
            Assert.That(_server.GetRequestCount("import-key-material"), Is.EqualTo(1));
            Assert.That(_server.Kms.GetImportCount(keyId), Is.Zero);
            Assert.That(details.KeyState, Is.EqualTo(KeyState.PendingImport));
        });
    }

    [Test]
    public async Task Connection_Refused_Before_Anything_Is_Sent_Is_Retried_Even_For_Create_Key()
    {
        // A port nobody listens on: connecting fails, so nothing reached a service and the
        // non-idempotent create-key may be retried; after the retries, status 0.
        int port;
        using (var probe = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0))
        {
            probe.Start();
            port = ((System.Net.IPEndPoint)probe.LocalEndpoint).Port;
        }

        var logs = new Microsoft.Extensions.Logging.Testing.FakeLogCollector();
        var services = new ServiceCollection();
        services.AddLogging(b => b.AddProvider(new Microsoft.Extensions.Logging.Testing.FakeLoggerProvider(logs)));
        services.AddKeyImportClient(new IamTokenCredential("t"), o =>
        {
            o.Endpoint = new Uri($"http://127.0.0.1:{port}");
            o.ProjectId = "p";
            o.Retry.MaxRetryAttempts = 2;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
            o.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        });
        await using ServiceProvider provider = services.BuildServiceProvider();

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => provider.GetRequiredService<IKmsTransport>().CreateKeyAsync(new CreateKeyRequest("k")));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.Zero);
            Assert.That(((HttpRequestException)ex.InnerException!).HttpRequestError, Is.EqualTo(HttpRequestError.ConnectionError));
            Assert.That(logs.GetSnapshot().Count(r => r.Id.Name == "KmsRetrying"), Is.EqualTo(2));
        });
    }

    private static LocalKmsServerOptions CreateServerOptions() => new();

    private static ServiceProvider CreateProvider(LocalKmsServer server, Action<KeyImportClientOptions> configure, KmsCredential? credential = null)
    {
        var services = new ServiceCollection();
        services.AddKeyImportClient(credential ?? new AccessKeyCredential(server.AccessKey, server.SecretKey), options =>
        {
            options.Endpoint = server.BaseAddress;
            options.ProjectId = server.ProjectId;
            options.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
            options.Retry.MaxDelay = TimeSpan.FromMilliseconds(200);
            options.Retry.AttemptTimeout = TimeSpan.FromSeconds(10);
            options.Retry.TotalTimeout = TimeSpan.FromSeconds(30);
            configure(options);
        });
        ServiceProvider provider = services.BuildServiceProvider();
        Assert.That(provider.GetRequiredService<IKmsTransport>(), Is.InstanceOf<HttpKmsTransport>());
        return provider;
    }
}
