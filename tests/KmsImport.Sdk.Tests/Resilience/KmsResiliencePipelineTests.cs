using System.Globalization;
using System.Net;
using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Logging.Testing;

namespace KmsImport.Sdk.Tests.Resilience;

// The transport's resilience pipeline: retry classification per operation, counts, Retry-After and the back-off the strategy computed
// (read from the "KmsRetrying" log records: no wall-clock assertions).
[CancelAfter(20_000)]
public class KmsResiliencePipelineTests
{
    private static List<TimeSpan> RetryDelays(FakeLogger logger) => logger.Collector.GetSnapshot()
        .Where(r => r.Id.Name == "KmsRetrying")
        .Select(r => TimeSpan.Parse(r.GetStructuredStateValue("Delay")!, CultureInfo.InvariantCulture))
        .ToList();

    [TestCase(408)]
    [TestCase(429)]
    [TestCase(500)]
    [TestCase(502)]
    [TestCase(503)]
    [TestCase(504)]
    public async Task Safe_Operations_Are_Retried_On_Transient_Statuses(int status)
    {
        var harness = new TransportHarness();
        harness.Handler
            .Respond(TransportHarness.Status(status), TransportHarness.ErrorBody("KMS.0101", "transient"))
            .Respond(TransportHarness.Status(status), TransportHarness.ErrorBody("KMS.0101", "transient"))
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        KeyDetails details = await harness.DriveAsync(harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.Multiple(() =>
        {
            Assert.That(details.KeyState, Is.EqualTo(KeyState.Enabled));
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(3));
            Assert.That(RetryDelays(harness.Logger), Has.Count.EqualTo(2));
        });
    }

    [Test]
    public void Retries_Stop_After_MaxRetryAttempts_And_The_Last_Error_Surfaces()
    {
        var harness = new TransportHarness(o => o.Retry.MaxRetryAttempts = 2);
        for (int i = 0; i < 3; i++)
        {
            harness.Handler.Respond(HttpStatusCode.ServiceUnavailable, TransportHarness.ErrorBody("KMS.0103", "attempt " + i), configure: TransportHarness.WithRequestId("r" + i));
        }

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.DriveAsync(harness.CreateTransport().GetParametersForImportAsync(new GetParametersForImportRequest(TransportHarness.KeyId))));

        Assert.Multiple(() =>
        {
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(3));
            Assert.That(ex!.Status, Is.EqualTo(503));
            Assert.That(ex.ServiceMessage, Is.EqualTo("attempt 2"));
            Assert.That(ex.RequestId, Is.EqualTo("r2"));
        });
    }

    [Test]
    public void Zero_Retries_Means_One_Attempt()
    {
        var harness = new TransportHarness(o => o.Retry.MaxRetryAttempts = 0);
        harness.Handler.Respond(HttpStatusCode.ServiceUnavailable, TransportHarness.ErrorBody("KMS.0103", "busy"));

        Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.That(harness.Handler.Requests, Has.Count.EqualTo(1));
    }

    [TestCase(400, "KMS.0205")]
    [TestCase(401, "APIG.0301")]
    [TestCase(401, "APIG.0303")]
    [TestCase(403, "KMS.0301")]
    [TestCase(404, "KMS.0207")]
    [TestCase(409, "KMS.0001")]
    public void Other_4xx_And_Signature_Failures_Are_Never_Retried(int status, string code)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(TransportHarness.Status(status), TransportHarness.GatewayErrorBody(code, "no", "rid"));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ErrorCode, Is.EqualTo(code));
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(1));
            Assert.That(RetryDelays(harness.Logger), Is.Empty);
        });
    }

    [TestCase(500)]
    [TestCase(502)]
    [TestCase(503)]
    [TestCase(504)]
    [TestCase(408)]
    public void Imports_And_Deletes_Are_Not_Retried_When_The_Service_May_Have_Processed_Them(int status)
    {
        var harness = new TransportHarness();
        harness.Handler
            .Respond(TransportHarness.Status(status), TransportHarness.ErrorBody("KMS.0101", "error"))
            .Respond(TransportHarness.Status(status), TransportHarness.ErrorBody("KMS.0101", "error"));
        HttpKmsTransport transport = harness.CreateTransport();

        var import = Assert.ThrowsAsync<KmsRequestFailedException>(() => transport.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(TransportHarness.KeyId, TransportHarness.ImportToken, "QUJD")));
        var delete = Assert.ThrowsAsync<KmsRequestFailedException>(() => transport.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(TransportHarness.KeyId)));

        Assert.Multiple(() =>
        {
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(2), "one request per operation");
            Assert.That(new[] { import!, delete! }.Select(e => e.IsOutcomeUnknown), Is.All.True);
        });
    }

    [TestCase(500)]
    [TestCase(502)]
    [TestCase(504)]
    [TestCase(408)]
    public void Create_Key_Is_Not_Retried_By_The_Transport_When_The_Service_May_Have_Processed_It(int status)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(TransportHarness.Status(status), TransportHarness.ErrorBody("KMS.0101", "error"));

        var create = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().CreateKeyAsync(new CreateKeyRequest("alias")));

        Assert.That(harness.Handler.Requests, Has.Count.EqualTo(1));
        Assert.That(create!.IsOutcomeUnknown, Is.True);
    }

    [Test]
    public async Task Create_Key_Is_Retried_On_503_The_Service_Could_Not_Handle_It()
    {
        var harness = new TransportHarness();
        harness.Handler
            .Respond(HttpStatusCode.ServiceUnavailable, TransportHarness.ErrorBody("KMS.0104", "busy"))
            .Respond(HttpStatusCode.OK, "{\"key_info\":{\"key_id\":\"" + TransportHarness.KeyId + "\",\"domain_id\":\"d\"}}");

        CreateKeyResult created = await harness.DriveAsync(harness.CreateTransport().CreateKeyAsync(new CreateKeyRequest("alias")));

        Assert.That(created.KeyId, Is.EqualTo(TransportHarness.KeyId));
        Assert.That(harness.Handler.Requests, Has.Count.EqualTo(2));
    }

    [Test]
    public async Task Non_Idempotent_Operations_Are_Retried_On_429()
    {
        var harness = new TransportHarness();
        harness.Handler
            .Respond(HttpStatusCode.TooManyRequests, TransportHarness.GatewayErrorBody("APIG.0308", "throttled", "r1"))
            .Respond(HttpStatusCode.OK, "{}");

        await harness.DriveAsync(harness.CreateTransport().ImportKeyMaterialAsync(new ImportKeyMaterialRequest(TransportHarness.KeyId, TransportHarness.ImportToken, "QUJD")));

        Assert.That(harness.Handler.Requests, Has.Count.EqualTo(2));
        Assert.That(harness.Handler.Requests.Select(r => r.BodyText).Distinct().Count(), Is.EqualTo(1), "the same body is resent");
    }

    [Test]
    public async Task Non_Idempotent_Operations_Are_Retried_When_The_Connection_Could_Not_Be_Established()
    {
        var harness = new TransportHarness();
        harness.Handler
            .Throw(new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused"))
            .Throw(new HttpRequestException(HttpRequestError.NameResolutionError, "No such host"))
            .Respond(HttpStatusCode.OK, """{"key_info":{"key_id":"k"}}""");

        CreateKeyResult result = await harness.DriveAsync(harness.CreateTransport().CreateKeyAsync(new CreateKeyRequest("alias")));

        Assert.Multiple(() =>
        {
            Assert.That(result.KeyId, Is.EqualTo("k"));
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(3));
        });
    }

    [Test]
    public async Task Safe_Operations_Are_Retried_After_A_Lost_Connection_And_An_Attempt_Timeout()
    {
        var harness = new TransportHarness(o => o.Retry.AttemptTimeout = TimeSpan.FromSeconds(2));
        harness.Handler
            .Throw(new HttpRequestException(HttpRequestError.ResponseEnded, "ended"))
            .Hang()
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        await harness.DriveAsync(harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)), TimeSpan.FromSeconds(1));

        Assert.That(harness.Handler.Requests, Has.Count.EqualTo(3));
    }

    [Test]
    public async Task Retry_After_In_Seconds_Is_Honoured()
    {
        var harness = new TransportHarness(o =>
        {
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(100);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(30);
        });
        harness.Handler
            .Respond(HttpStatusCode.TooManyRequests, TransportHarness.GatewayErrorBody("APIG.0308", "throttled", "r"), configure: r => r.Headers.Add("Retry-After", "7"))
            .Respond(HttpStatusCode.OK, "{}");

        await harness.DriveAsync(harness.CreateTransport().ImportKeyMaterialAsync(new ImportKeyMaterialRequest(TransportHarness.KeyId, TransportHarness.ImportToken, "QUJD")), TimeSpan.FromSeconds(1));

        Assert.Multiple(() =>
        {
            Assert.That(RetryDelays(harness.Logger), Is.EqualTo(new[] { TimeSpan.FromSeconds(7) }));
            Assert.That(harness.Time.GetUtcNow() - TransportHarness.Start, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(7)), "the fake clock had to pass the delay");
        });
    }

    [Test]
    public async Task Retry_After_As_An_Http_Date_Is_Honoured()
    {
        var harness = new TransportHarness(o => o.Retry.MaxDelay = TimeSpan.FromSeconds(30));
        DateTimeOffset retryAt = TransportHarness.Start.AddSeconds(9);
        harness.Handler
            .Respond(HttpStatusCode.ServiceUnavailable, TransportHarness.ErrorBody("KMS.0103", "maintenance"), configure: r => r.Headers.RetryAfter = new System.Net.Http.Headers.RetryConditionHeaderValue(retryAt))
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        await harness.DriveAsync(harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)), TimeSpan.FromSeconds(1));

        // The date minus the (fake) time of the decision: 9 s, or a step less if the clock moved
        // while the response was being read; the back-off alone would be 0 (BaseDelay is 0).
        List<TimeSpan> delays = RetryDelays(harness.Logger);
        Assert.That(delays, Has.Count.EqualTo(1));
        Assert.That(delays[0], Is.GreaterThan(TimeSpan.FromSeconds(7)).And.LessThanOrEqualTo(TimeSpan.FromSeconds(9)));
    }

    [Test]
    public async Task Retry_After_Is_Capped_By_MaxDelay()
    {
        var harness = new TransportHarness(o =>
        {
            o.Retry.BaseDelay = TimeSpan.FromSeconds(1);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(4);
        });
        harness.Handler
            .Respond(HttpStatusCode.TooManyRequests, TransportHarness.GatewayErrorBody("APIG.0308", "throttled", "r"), configure: r => r.Headers.Add("Retry-After", "3600"))
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        await harness.DriveAsync(harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)), TimeSpan.FromSeconds(1));

        Assert.That(RetryDelays(harness.Logger), Is.EqualTo(new[] { TimeSpan.FromSeconds(4) }));
    }

    [Test]
    public async Task Back_Off_Without_Retry_After_Is_Positive_Jittered_And_Capped_By_MaxDelay()
    {
        var harness = new TransportHarness(o =>
        {
            o.Retry.MaxRetryAttempts = 5;
            o.Retry.BaseDelay = TimeSpan.FromSeconds(1);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(3);
        });
        for (int i = 0; i < 5; i++)
        {
            harness.Handler.Respond(HttpStatusCode.ServiceUnavailable, TransportHarness.ErrorBody("KMS.0103", "busy"));
        }

        harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        await harness.DriveAsync(harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)), TimeSpan.FromMilliseconds(250));

        List<TimeSpan> delays = RetryDelays(harness.Logger);
        Assert.Multiple(() =>
        {
            Assert.That(delays, Has.Count.EqualTo(5));
            Assert.That(delays, Is.All.GreaterThan(TimeSpan.Zero).And.All.LessThanOrEqualTo(TimeSpan.FromSeconds(3)));
        });
    }
}
