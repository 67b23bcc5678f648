using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Polly.Timeout;
using static KmsImport.Sdk.Testing.Tests.LocalKmsTestKit;

namespace KmsImport.Sdk.Testing.Tests.EndToEnd;

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
    public async Task Throttled_import_is_retried_and_imported_once()
    {
        string keyId = await CreateExternalKeyAsync(Transport, KeySpec.Aes256);
        ImportParameters parameters = await Transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Throttle) { Operation = "import-key-material", Count = 2, RetryAfter = TimeSpan.FromSeconds(1) });

        await Transport.ImportKeyMaterialAsync(Wrap(parameters, material));

        Assert.Multiple(() =>
        {
            Assert.That(_server.GetRequestCount("import-key-material"), Is.EqualTo(3));
            Assert.That(_server.Kms.GetImportCount(keyId), Is.EqualTo(1));
            Assert.That(_server.Kms.GetImportedMaterialFingerprint(keyId), Is.EqualTo(material.ComputeFingerprint()));
        });
    }

    [Test]
    public async Task Import_answered_500_after_processing_is_surfaced_not_retried_and_the_key_is_enabled()
    {
        string keyId = await CreateExternalKeyAsync(Transport, KeySpec.Aes256);
        ImportParameters parameters = await Transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.ServerError) { Operation = "import-key-material", Timing = LocalKmsFaultTiming.AfterProcessing });

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => Transport.ImportKeyMaterialAsync(Wrap(parameters, RandomSymmetric(KeySpec.Aes256))));
        KeyDetails details = await Transport.DescribeKeyAsync(new DescribeKeyRequest(keyId));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(500));
            Assert.That(ex.IsOutcomeUnknown, Is.True);
            Assert.That(ex.RequestId, Is.Not.Null.And.Not.Empty);
            Assert.That(_server.GetRequestCount("import-key-material"), Is.EqualTo(1));
            Assert.That(_server.Kms.GetImportCount(keyId), Is.EqualTo(1));
            Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
        });
    }

    [Test]
    public async Task Import_whose_connection_drops_after_processing_is_status_zero_and_imported_once()
    {
        string keyId = await CreateExternalKeyAsync(Transport, KeySpec.Aes256);
        ImportParameters parameters = await Transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.DropConnection) { Operation = "import-key-material", Timing = LocalKmsFaultTiming.AfterProcessing });

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => Transport.ImportKeyMaterialAsync(Wrap(parameters, RandomSymmetric(KeySpec.Aes256))));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.Zero);
            Assert.That(ex.ErrorCode, Is.Null);
            Assert.That(ex.InnerException, Is.InstanceOf<HttpRequestException>().Or.InstanceOf<IOException>());
            Assert.That(_server.GetRequestCount("import-key-material"), Is.EqualTo(1));
            Assert.That(_server.Kms.GetImportCount(keyId), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Import_slower_than_the_attempt_timeout_is_status_zero_and_imported_once()
    {
        // Set-up through the normal transport (creating the wrapping key takes a while); the import
        // through one whose attempt timeout is shorter than the injected latency.
        string keyId = await CreateExternalKeyAsync(Transport, KeySpec.Aes256);
        ImportParameters parameters = await Transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        await using ServiceProvider impatient = CreateProvider(_server, o => o.Retry.AttemptTimeout = TimeSpan.FromMilliseconds(500));
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Latency) { Operation = "import-key-material", Timing = LocalKmsFaultTiming.AfterProcessing, Latency = TimeSpan.FromSeconds(5) });

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => impatient.GetRequiredService<IKmsTransport>().ImportKeyMaterialAsync(Wrap(parameters, RandomSymmetric(KeySpec.Aes256))));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.Zero);
            Assert.That(ex.InnerException, Is.InstanceOf<TimeoutRejectedException>());
            Assert.That(_server.GetRequestCount("import-key-material"), Is.EqualTo(1));
            Assert.That(_server.Kms.GetImportCount(keyId), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Describe_key_survives_errors_dropped_connections_and_truncated_bodies()
    {
        (string keyId, _) = await ImportNewAsync(Transport, KeySpec.Aes256);
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.ServerError) { Operation = "describe-key", StatusCode = 503 });
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.DropConnection) { Operation = "describe-key" });
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.TruncatedBody) { Operation = "describe-key" });

        KeyDetails details = await Transport.DescribeKeyAsync(new DescribeKeyRequest(keyId));

        Assert.Multiple(() =>
        {
            Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(_server.GetRequestCount("describe-key"), Is.EqualTo(4));
        });
    }

    [Test]
    public void Bodies_that_are_not_kms_json_are_clear_errors()
    {
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.HtmlErrorPage) { Operation = "create-key" });
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.OversizedBody) { Operation = "describe-key" });
        _server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.MalformedJson) { Operation = "describe-key" });

        var html = Assert.ThrowsAsync<KmsRequestFailedException>(() => Transport.CreateKeyAsync(new CreateKeyRequest("k")));
        var oversized = Assert.ThrowsAsync<KmsRequestFailedException>(() => Transport.DescribeKeyAsync(new DescribeKeyRequest("0d0466b0-e727-4d9c-b35d-f84bb474a37f")));
        var malformed = Assert.ThrowsAsync<KmsRequestFailedException>(() => Transport.DescribeKeyAsync(new DescribeKeyRequest("0d0466b0-e727-4d9c-b35d-f84bb474a37f")));

        Assert.Multiple(() =>
        {
            Assert.That(html!.Status, Is.EqualTo(502));
            Assert.That(html.ErrorCode, Is.Null);
            Assert.That(html.Message, Does.Contain("text/html"));
            Assert.That(_server.GetRequestCount("create-key"), Is.EqualTo(1), "create-key is not retried on 502");
            Assert.That(oversized!.Message, Does.Contain("larger than 1 MiB"));
            Assert.That(malformed!.Message, Does.Contain("malformed response"));
        });
    }

    [Test]
    public async Task Wrong_secret_key_is_APIG_0301_and_sent_exactly_once()
    {
        await using ServiceProvider provider = CreateProvider(_server, o => o.SecretKey = "not-the-secret-key");

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => provider.GetRequiredService<IKmsTransport>().DescribeKeyAsync(new DescribeKeyRequest("0d0466b0-e727-4d9c-b35d-f84bb474a37f")));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(401));
            Assert.That(ex.ErrorCode, Is.EqualTo(KmsErrorCodes.SignatureInvalid));
            Assert.That(ex.Message, Does.Not.Contain("not-the-secret-key").And.Not.Contain(_server.SecretKey));
            Assert.That(_server.GetRequestCount("describe-key"), Is.EqualTo(1));
        });
    }

    [Test]
    public async Task Expired_iam_token_is_refreshed_once_through_the_provider()
    {
        LocalKmsServerOptions options = CreateServerOptions();
        options.AuthTokens["expired-token"] = DateTimeOffset.UtcNow.AddHours(-1);
        options.AuthTokens["fresh-token"] = DateTimeOffset.UtcNow.AddHours(1);
        await using LocalKmsServer server = await LocalKmsServer.StartAsync(options);
        var calls = new List<bool>();
        await using ServiceProvider provider = CreateProvider(server, o =>
        {
            o.AccessKey = null;
            o.SecretKey = null;
            o.AuthTokenProvider = (force, _) =>
            {
                lock (calls)
                {
                    calls.Add(force);
                }

                return ValueTask.FromResult(force ? "fresh-token" : "expired-token");
            };
        });

        string keyId = await CreateExternalKeyAsync(provider.GetRequiredService<IKmsTransport>(), KeySpec.Aes256);

        Assert.Multiple(() =>
        {
            Assert.That(keyId, Is.Not.Empty);
            Assert.That(calls, Is.EqualTo(new[] { false, true }));
            Assert.That(server.GetRequestCount("create-key"), Is.EqualTo(2));
            Assert.That(server.Kms.KeyCount, Is.EqualTo(1), "the rejected create-key created nothing");
        });
    }

    private static LocalKmsServerOptions CreateServerOptions() => new();

    private static ServiceProvider CreateProvider(LocalKmsServer server, Action<KeyImportClientOptions> configure)
    {
        var services = new ServiceCollection();
        services.AddKeyImportClient(options =>
        {
            options.Endpoint = server.BaseAddress;
            options.ProjectId = server.ProjectId;
            options.AccessKey = server.AccessKey;
            options.SecretKey = server.SecretKey;
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
