using System.Diagnostics;
using System.Net;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Diagnostics;
using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk.Tests.Diagnostics;

// KmsImportDiagnostics: the activities, metrics and logs of the HTTPS transport and the client; the meter is process-wide, so not parallel.
[NonParallelizable]
[CancelAfter(20_000)]
public class KmsImportDiagnosticsTests
{
    [Test]
    public async Task Retries_Operations_And_Durations_Are_Recorded_Per_Operation()
    {
        using var retries = new MetricCollector<long>(KmsImportDiagnostics.Retries);
        using var operations = new MetricCollector<long>(KmsImportDiagnostics.Operations);
        using var durations = new MetricCollector<double>(KmsImportDiagnostics.Duration);
        var harness = new TransportHarness();
        harness.Handler
            .Respond(HttpStatusCode.ServiceUnavailable, TransportHarness.ErrorBody("KMS.0103", "busy"))
            .Respond(HttpStatusCode.TooManyRequests, TransportHarness.GatewayErrorBody("APIG.0308", "throttled", "r"), configure: r => r.Headers.Add("Retry-After", "2"))
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        await harness.DriveAsync(harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)), TimeSpan.FromSeconds(1));

        var retryTotal = retries.GetMeasurementSnapshot().Where(m => (string?)m.Tags["operation"] == "describe-key").Sum(m => m.Value);
        var operation = operations.GetMeasurementSnapshot().Single(m => (string?)m.Tags["operation"] == "describe-key");
        var duration = durations.GetMeasurementSnapshot().Single(m => (string?)m.Tags["operation"] == "describe-key");
        Assert.Multiple(() =>
        {
            Assert.That(retryTotal, Is.EqualTo(2));
            Assert.That(operation.Value, Is.EqualTo(1));
            Assert.That(operation.Tags["status"], Is.EqualTo(200));

            // Measured on the fake clock: at least the 2 s Retry-After.
            Assert.That(duration.Value, Is.GreaterThanOrEqualTo(2.0));
        });
    }

    [Test]
    public async Task Each_Operation_Is_One_Client_Activity_With_Its_Outcome()
    {
        var activities = new List<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == KmsImportDiagnostics.Name,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                lock (activities)
                {
                    activities.Add(activity);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var harness = new TransportHarness();
        harness.Handler
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody(), configure: TransportHarness.WithRequestId("ok-1"))
            .Respond(HttpStatusCode.BadRequest, TransportHarness.ErrorBody("KMS.2601", "expired"), configure: TransportHarness.WithRequestId("bad-1"));
        HttpKmsTransport transport = harness.CreateTransport();

        await transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId));
        Assert.ThrowsAsync<KmsRequestFailedException>(() => transport.ImportKeyMaterialAsync(new ImportKeyMaterialRequest(TransportHarness.KeyId, TransportHarness.ImportToken, "QUJD")));

        Activity describe = activities.Single(a => a.OperationName == "KMS describe-key" && (string?)a.GetTagItem("kms.request_id") == "ok-1");
        Activity import = activities.Single(a => a.OperationName == "KMS import-key-material" && (string?)a.GetTagItem("kms.request_id") == "bad-1");
        Assert.Multiple(() =>
        {
            Assert.That(describe.Kind, Is.EqualTo(ActivityKind.Client));
            Assert.That(describe.GetTagItem("kms.key_id"), Is.EqualTo(TransportHarness.KeyId));
            Assert.That(describe.GetTagItem("http.response.status_code"), Is.EqualTo(200));
            Assert.That(describe.Status, Is.EqualTo(ActivityStatusCode.Unset));
            Assert.That(import.Status, Is.EqualTo(ActivityStatusCode.Error));
            Assert.That(import.GetTagItem("kms.error_code"), Is.EqualTo("KMS.2601"));
            Assert.That(import.TagObjects.Select(t => t.Value?.ToString()), Has.None.Contains(TransportHarness.ImportToken));
        });
    }

    [Test]
    public async Task Logs_Carry_Operation_Key_Attempt_Status_And_Request_Id_But_Never_Secrets()
    {
        var harness = new TransportHarness(credential: new AccessKeyCredential(TransportHarness.AccessKey, TransportHarness.SecretKey, "SECURITY-TOKEN-NEVER-LOGGED"));
        harness.Handler
            .Respond(HttpStatusCode.ServiceUnavailable, TransportHarness.ErrorBody("KMS.0103", "busy"), configure: TransportHarness.WithRequestId("rid-1"))
            .Respond(HttpStatusCode.OK, TransportHarness.ParametersBody(TransportHarness.WrappingPublicKeyBase64(), "1764400000"))
            .Respond(HttpStatusCode.BadRequest, TransportHarness.ErrorBody("KMS.0311", "decrypt failed"), configure: TransportHarness.WithRequestId("rid-3"));
        HttpKmsTransport transport = harness.CreateTransport();

        await harness.DriveAsync(transport.GetParametersForImportAsync(new GetParametersForImportRequest(TransportHarness.KeyId)));
        Assert.ThrowsAsync<KmsRequestFailedException>(() => transport.ImportKeyMaterialAsync(
            new ImportKeyMaterialRequest(TransportHarness.KeyId, TransportHarness.ImportToken, "RU5DUllQVEVELU1BVEVSSUFM") { EncryptedPrivateKey = "RU5DUllQVEVELVBSSVZBVEU=" }));

        var records = harness.Logger.Collector.GetSnapshot();
        string everything = string.Join("\n", records.Select(r => r.Message + " " + string.Join(",", r.StructuredState?.Select(kv => kv.Value) ?? [])));
        Assert.Multiple(() =>
        {
            Assert.That(records.Select(r => r.Id.Name), Does.Contain("KmsSending").And.Contain("KmsReceived").And.Contain("KmsRetrying").And.Contain("KmsFailed"));
            FakeLogRecordAssert(records.First(r => r.Id.Name == "KmsRetrying"), "get-parameters-for-import", "503", "rid-1");
            FakeLogRecordAssert(records.First(r => r.Id.Name == "KmsFailed"), "import-key-material", "400", "rid-3");
            Assert.That(records.First(r => r.Id.Name == "KmsFailed").Level, Is.EqualTo(LogLevel.Warning));
            foreach (string secret in new[] { TransportHarness.SecretKey, TransportHarness.AccessKey, "SECURITY-TOKEN-NEVER-LOGGED", TransportHarness.ImportToken, "RU5DUllQVEVELU1BVEVSSUFM", "RU5DUllQVEVELVBSSVZBVEU=", "Signature=" })
            {
                Assert.That(everything, Does.Not.Contain(secret));
            }
        });
    }

    private static void FakeLogRecordAssert(Microsoft.Extensions.Logging.Testing.FakeLogRecord record, string operation, string status, string requestId)
    {
        Assert.That(record.GetStructuredStateValue("Operation"), Is.EqualTo(operation));
        Assert.That(record.GetStructuredStateValue("KeyId"), Is.EqualTo(TransportHarness.KeyId));
        Assert.That(record.GetStructuredStateValue("Status"), Is.EqualTo(status));
        Assert.That(record.GetStructuredStateValue("RequestId"), Is.EqualTo(requestId));
        Assert.That(record.GetStructuredStateValue("Attempt"), Is.Not.Null);
    }

    [Test]
    public async Task Imports_Are_Counted_By_Outcome(CancellationToken cancellationToken)
    {
        using var collector = new MetricCollector<long>(KmsImportDiagnostics.Imports);
        var context = new ClientTestContext();
        string keyId = ClientTestContext.NewKeyId();
        using KeyMaterial material = ClientTestContext.NewAes256();
        context.SetupDescribe(keyId, ClientTestContext.Details(keyId, KeyState.PendingImport));
        context.SetupParameters(keyId, ClientTestContext.Parameters(keyId, ClientTestContext.WrappingKeyA, ClientTestContext.Token("a"), ClientTestContext.Start.AddHours(24)));
        context.SetupImport(keyId, ClientTestContext.Error(400, KmsErrorCodes.MaterialMismatch));

        Assert.ThrowsAsync<KmsRequestFailedException>(() => context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken));
        await context.Client.ImportKeyMaterialAsync(keyId, material, cancellationToken: cancellationToken);
        Assert.ThrowsAsync<KeyImportValidationException>(() => context.Client.ImportKeyMaterialAsync(
            keyId, material, new ImportKeyMaterialOptions { Expiry = MaterialExpiry.At(ClientTestContext.Start.AddDays(-1)) }, cancellationToken));

        // Other tests may run imports concurrently; count only this test's spec-tagged measurements by outcome.
        string[] outcomes = [.. collector.GetMeasurementSnapshot().Select(m => (string)m.Tags["outcome"]!)];
        Assert.That(outcomes, Does.Contain("failed").And.Contain("succeeded").And.Contain("invalid"));
    }
}
