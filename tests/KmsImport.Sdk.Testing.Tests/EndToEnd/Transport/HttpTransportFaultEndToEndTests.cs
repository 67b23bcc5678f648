using KmsImport.Sdk.Cryptography;
using Microsoft.Extensions.Time.Testing;
using static KmsImport.Sdk.Testing.Tests.TestSupport.LocalKmsTestKit;

namespace KmsImport.Sdk.Testing.Tests.EndToEnd.Transport;

/// <summary>
/// The HTTPS transport's retry rules against injected faults: safe operations are retried, the
/// non-idempotent ones only when the service certainly did not process them, and a request the
/// service did process is never imported twice.
/// </summary>
[CancelAfter(300_000)]
public class HttpTransportFaultEndToEndTests
{
    private EndToEndFixture? _fixture;

    [TearDown]
    public async Task TearDown()
    {
        if (_fixture is not null)
        {
            await _fixture.DisposeAsync();
        }
    }

    [Test]
    public async Task Safe_Operation_Is_Retried_Through_5xx_Html_And_Truncated_Bodies()
    {
        _fixture = await EndToEndFixture.StartAsync();
        string keyId = (await _fixture.Kms.CreateKeyAsync(new CreateKeyRequest("k"))).KeyId;
        LocalKmsFaults faults = _fixture.Server.Faults;
        faults.Add(new LocalKmsFault(LocalKmsFaultKind.ServerError) { Operation = "describe-key", StatusCode = 503 });
        faults.Add(LocalKmsFaultKind.HtmlErrorPage, "describe-key");
        faults.Add(LocalKmsFaultKind.TruncatedBody, "describe-key");

        KeyDetails details = await _fixture.Transport.DescribeKeyAsync(new DescribeKeyRequest(keyId));
        Assert.That(details.KeyState, Is.EqualTo(KeyState.PendingImport));
        Assert.That(_fixture.Server.GetRequestCount("describe-key"), Is.EqualTo(4));
    }

    [Test]
    public async Task Throttled_Import_Is_Retried_And_Imports_Once()
    {
        _fixture = await EndToEndFixture.StartAsync();
        (string keyId, ImportKeyMaterialRequest request, KeyMaterial material) = await PrepareImportAsync();
        using (material)
        {
            LocalKmsFault throttle = _fixture.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Throttle) { Operation = "import-key-material", RetryAfter = TimeSpan.FromSeconds(1) });
            await _fixture.Transport.ImportKeyMaterialAsync(request);
            Assert.Multiple(() =>
            {
                Assert.That(throttle.Triggered, Is.EqualTo(1));
                Assert.That(_fixture.Server.GetRequestCount("import-key-material"), Is.EqualTo(2));
                Assert.That(_fixture.Kms.GetImportCount(keyId), Is.EqualTo(1));
            });
        }
    }

    [Test]
    public async Task Import_Dropped_After_Processing_Is_Not_Retried_And_Reports_An_Unknown_Outcome()
    {
        _fixture = await EndToEndFixture.StartAsync();
        (string keyId, ImportKeyMaterialRequest request, KeyMaterial material) = await PrepareImportAsync();
        using (material)
        {
            _fixture.Server.Faults.Add(LocalKmsFaultKind.DropConnection, "import-key-material", timing: LocalKmsFaultTiming.AfterProcessing);
            KmsRequestFailedException? ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => _fixture.Transport.ImportKeyMaterialAsync(request));
            Assert.Multiple(() =>
            {
                Assert.That(ex!.Status, Is.Zero);
                Assert.That(ex.ErrorCode, Is.Null);
                Assert.That(ex.IsOutcomeUnknown, Is.True);
                Assert.That(ex.InnerException, Is.Not.Null);
                Assert.That(_fixture.Server.GetRequestCount("import-key-material"), Is.EqualTo(1));
                Assert.That(_fixture.Kms.GetImportCount(keyId), Is.EqualTo(1));
            });

            // What the client workflow does next: describe-key says it happened.
            Assert.That((await _fixture.Transport.DescribeKeyAsync(new DescribeKeyRequest(keyId))).KeyState, Is.EqualTo(KeyState.Enabled));
        }
    }

    [Test]
    public async Task Import_Answered_500_After_Processing_Is_Not_Retried()
    {
        _fixture = await EndToEndFixture.StartAsync();
        (string keyId, ImportKeyMaterialRequest request, KeyMaterial material) = await PrepareImportAsync();
        using (material)
        {
            _fixture.Server.Faults.Add(LocalKmsFaultKind.ServerError, "import-key-material", timing: LocalKmsFaultTiming.AfterProcessing);
            KmsRequestFailedException ex = AssertFails(() => _fixture.Transport.ImportKeyMaterialAsync(request), 500, "KMS.0101");
            Assert.Multiple(() =>
            {
                Assert.That(ex.IsOutcomeUnknown, Is.True);
                Assert.That(_fixture.Server.GetRequestCount("import-key-material"), Is.EqualTo(1));
                Assert.That(_fixture.Kms.GetImportCount(keyId), Is.EqualTo(1));
            });
        }
    }

    [Test]
    public async Task Import_Slower_Than_The_Attempt_Timeout_Happened_Once()
    {
        _fixture = await EndToEndFixture.StartAsync(configureClient: o => o.Retry.AttemptTimeout = TimeSpan.FromSeconds(3));
        (string keyId, ImportKeyMaterialRequest request, KeyMaterial material) = await PrepareImportAsync();
        using (material)
        {
            _fixture.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.Latency) { Operation = "import-key-material", Latency = TimeSpan.FromMinutes(5), Timing = LocalKmsFaultTiming.AfterProcessing });
            KmsRequestFailedException? ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => _fixture.Transport.ImportKeyMaterialAsync(request));
            Assert.That(ex!.Status, Is.Zero);
            while (_fixture.Kms.GetImportCount(keyId) == 0)
            {
                await Task.Delay(20);
            }

            Assert.That(_fixture.Kms.GetImportCount(keyId), Is.EqualTo(1));
            Assert.That(_fixture.Server.GetRequestCount("import-key-material"), Is.EqualTo(1));
        }
    }

    [Test]
    public async Task Create_Key_Answered_500_Before_Processing_Is_Not_Retried()
    {
        _fixture = await EndToEndFixture.StartAsync();
        _fixture.Server.Faults.Add(LocalKmsFaultKind.ServerError, "create-key");
        AssertFails(() => _fixture.Transport.CreateKeyAsync(new CreateKeyRequest("k")), 500, "KMS.0101");
        Assert.That(_fixture.Server.GetRequestCount("create-key"), Is.EqualTo(1));
        Assert.That(_fixture.Kms.KeyCount, Is.Zero);
    }

    [Test]
    public async Task Malformed_And_Oversized_Success_Bodies_Are_Reported_Not_Trusted()
    {
        _fixture = await EndToEndFixture.StartAsync();
        string keyId = (await _fixture.Kms.CreateKeyAsync(new CreateKeyRequest("k"))).KeyId;
        _fixture.Server.Faults.Add(LocalKmsFaultKind.MalformedJson, "describe-key");
        KmsRequestFailedException? malformed = Assert.ThrowsAsync<KmsRequestFailedException>(() => _fixture.Transport.DescribeKeyAsync(new DescribeKeyRequest(keyId)));
        Assert.That(malformed!.ServiceMessage, Does.Contain("malformed"));

        _fixture.Server.Faults.Add(new LocalKmsFault(LocalKmsFaultKind.OversizedBody) { Operation = "describe-key", OversizedBodyLength = 3 * 1024 * 1024 });
        KmsRequestFailedException? oversized = Assert.ThrowsAsync<KmsRequestFailedException>(() => _fixture.Transport.DescribeKeyAsync(new DescribeKeyRequest(keyId)));
        Assert.That(oversized!.ServiceMessage, Does.Contain("malformed"));
    }

    [Test]
    public async Task Wrong_Secret_Is_APIG_0301_And_Never_Retried()
    {
        _fixture = await EndToEndFixture.StartAsync(credential: server => new AccessKeyCredential(server.AccessKey, "wrong-secret-key-wrong-secret-key-000000"));
        AssertFails(() => _fixture.Transport.DescribeKeyAsync(new DescribeKeyRequest(Guid.NewGuid().ToString())), 401, KmsErrorCodes.SignatureInvalid);
        Assert.That(_fixture.Server.GetRequestCount("describe-key"), Is.EqualTo(1));
    }

    [Test]
    public async Task Wrong_Project_Is_Refused()
    {
        _fixture = await EndToEndFixture.StartAsync(configureClient: o => o.ProjectId = "0123456789abcdef0123456789abcdef");
        AssertFails(() => _fixture.Transport.CreateKeyAsync(new CreateKeyRequest("k")), 401, KmsErrorCodes.SignatureInvalid);
        Assert.That(_fixture.Kms.KeyCount, Is.Zero);
    }

    [Test]
    public async Task Client_Clock_20_Minutes_Ahead_Is_APIG_0303()
    {
        var skewed = new FakeTimeProvider(DateTimeOffset.UtcNow.AddMinutes(20));
        _fixture = await EndToEndFixture.StartAsync(clientTime: skewed);
        AssertFails(() => _fixture.Transport.CreateKeyAsync(new CreateKeyRequest("k")), 401, KmsErrorCodes.ClockSkew);
        Assert.That(_fixture.Server.GetRequestCount("create-key"), Is.EqualTo(1));
    }

    [Test]
    public async Task Iam_Tokens_Valid_Invalid_And_Expired()
    {
        _fixture = await EndToEndFixture.StartAsync(configureServer: o =>
        {
            o.AuthTokens["good-token"] = DateTimeOffset.UtcNow.AddHours(1);
            o.AuthTokens["old-token"] = DateTimeOffset.UtcNow.AddHours(-1);
        });
        await using EndToEndClient good = await EndToEndClient.CreateAsync(_fixture.Server, "good-token");
        await using EndToEndClient unknown = await EndToEndClient.CreateAsync(_fixture.Server, "unknown-token");
        await using EndToEndClient old = await EndToEndClient.CreateAsync(_fixture.Server, "old-token");

        await good.Transport.CreateKeyAsync(new CreateKeyRequest("with-token"));
        AssertFails(() => unknown.Transport.CreateKeyAsync(new CreateKeyRequest("k")), 403, KmsErrorCodes.AuthTokenInvalid);
        AssertFails(() => old.Transport.CreateKeyAsync(new CreateKeyRequest("k")), 403, KmsErrorCodes.AuthTokenExpired);
        Assert.That(_fixture.Kms.KeyCount, Is.EqualTo(1));
    }

    private async Task<(string KeyId, ImportKeyMaterialRequest Request, KeyMaterial Material)> PrepareImportAsync()
    {
        string keyId = (await _fixture!.Transport.CreateKeyAsync(new CreateKeyRequest("fault"))).KeyId;
        ImportParameters parameters = await _fixture.Transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
        KeyMaterial material = RandomSymmetric(KeySpec.Aes256);
        return (keyId, Wrap(parameters, material), material);
    }
}
