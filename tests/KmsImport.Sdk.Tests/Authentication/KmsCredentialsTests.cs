using System.Net;
using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk.Tests.Authentication;

// KmsCredentials: AK/SK signatures, temporary credentials, IAM tokens and the environment fallback, as the
// HTTPS transport applies them to real requests.
[CancelAfter(20_000)]
public class KmsCredentialsTests
{
    [Test]
    public async Task AkSk_Requests_Carry_A_Valid_Signature_Over_Host_Date_And_Project(CancellationToken ct)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        await harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);

        RecordedRequest request = harness.Handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Header("Host"), Is.EqualTo("kms.eu-de.otc.t-systems.com"));
            Assert.That(request.Header("X-Sdk-Date"), Is.EqualTo("20261129T010203Z"));
            Assert.That(request.Header("Authorization"), Does.StartWith($"SDK-HMAC-SHA256 Access={TransportHarness.AccessKey}, SignedHeaders=host;x-project-id;x-sdk-date, Signature="));
            Assert.That(request.Header("X-Auth-Token"), Is.Null);
            Assert.That(request.Header("X-Security-Token"), Is.Null);
        });
        SignatureAssert.IsValid(request, TransportHarness.AccessKey, TransportHarness.SecretKey);
    }

    [Test]
    public async Task A_Wrong_Secret_Does_Not_Verify(CancellationToken ct)
    {
        var harness = new TransportHarness();
        harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        await harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);

        var (_, _, sent, recomputed, _) = SignatureAssert.Recompute(harness.Handler.Requests.Single(), "another-secret");
        Assert.That(sent, Is.Not.EqualTo(recomputed));
    }

    [Test]
    public async Task Temporary_Credentials_Send_And_Sign_The_Security_Token(CancellationToken ct)
    {
        var harness = new TransportHarness(credential: new AccessKeyCredential(TransportHarness.AccessKey, TransportHarness.SecretKey, "temporary-security-token"));
        harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        await harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);

        RecordedRequest request = harness.Handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Header("X-Security-Token"), Is.EqualTo("temporary-security-token"));
            Assert.That(request.Header("Authorization"), Does.Contain("SignedHeaders=host;x-project-id;x-sdk-date;x-security-token,"));
        });
        SignatureAssert.IsValid(request, TransportHarness.AccessKey, TransportHarness.SecretKey);
    }

    [Test]
    public async Task Explicit_Endpoint_With_A_Port_Signs_The_Host_With_The_Port(CancellationToken ct)
    {
        var harness = new TransportHarness(o => o.Endpoint = new Uri("http://127.0.0.1:5080/"));
        harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        await harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);

        RecordedRequest request = harness.Handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Uri.AbsoluteUri, Is.EqualTo($"http://127.0.0.1:5080/v1.0/{TransportHarness.ProjectId}/kms/describe-key"));
            Assert.That(request.Header("Host"), Is.EqualTo("127.0.0.1:5080"));
        });
        SignatureAssert.IsValid(request, TransportHarness.AccessKey, TransportHarness.SecretKey);
    }

    [Test]
    public async Task Each_Attempt_Is_Signed_Afresh_With_A_New_Date(CancellationToken ct)
    {
        var harness = new TransportHarness();
        harness.Handler
            .Respond(HttpStatusCode.ServiceUnavailable, TransportHarness.ErrorBody("KMS.0101", "busy"), configure: r => r.Headers.Add("Retry-After", "2"))
            .Respond(HttpStatusCode.TooManyRequests, TransportHarness.GatewayErrorBody("APIG.0308", "throttled", "r"), configure: r => r.Headers.Add("Retry-After", "3"))
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        await harness.DriveAsync(harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct), TimeSpan.FromSeconds(1));

        IReadOnlyList<RecordedRequest> requests = harness.Handler.Requests;
        Assert.That(requests, Has.Count.EqualTo(3));
        Assert.That(requests.Select(r => r.Header("X-Sdk-Date")).Distinct().Count(), Is.EqualTo(3), "a new X-Sdk-Date per attempt");
        Assert.That(requests.Select(r => r.Header("Authorization")).Distinct().Count(), Is.EqualTo(3), "a new signature per attempt");
        foreach (RecordedRequest request in requests)
        {
            SignatureAssert.IsValid(request, TransportHarness.AccessKey, TransportHarness.SecretKey);
        }
    }

    [Test]
    public async Task Static_Iam_Token_Is_Sent_As_X_Auth_Token_Without_Signature(CancellationToken ct)
    {
        var harness = new TransportHarness(credential: new IamTokenCredential("static-token"));
        harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        await harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);

        RecordedRequest request = harness.Handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Header("X-Auth-Token"), Is.EqualTo("static-token"));
            Assert.That(request.Header("Authorization"), Is.Null);
            Assert.That(request.Header("X-Project-Id"), Is.EqualTo(TransportHarness.ProjectId));
        });
    }

    [Test]
    public void Static_Iam_Token_Rejected_Is_Surfaced_Without_A_Second_Request()
    {
        var harness = new TransportHarness(credential: new IamTokenCredential("static-token"));
        harness.Handler.Respond(HttpStatusCode.Forbidden, TransportHarness.ErrorBody("KMS.0303", "The token has expired."));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ErrorCode, Is.EqualTo(KmsErrorCodes.AuthTokenExpired));
            Assert.That(ex.Message, Does.Not.Contain("static-token"));
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(1));
        });
    }

    [TestCase(403, "KMS.0303")]
    [TestCase(403, "KMS.0301")]
    [TestCase(401, "APIG.1002")]
    public async Task Token_Provider_Is_Asked_Once_More_With_ForceRefresh_When_The_Token_Is_Rejected(int status, string code)
    {
        var tokens = new Queue<string>(["stale-token", "fresh-token"]);
        int calls = 0;
        var harness = new TransportHarness(credential: new IamTokenCredential(_ =>
        {
            calls++;
            return ValueTask.FromResult(new IamToken(tokens.Dequeue(), TransportHarness.Start.AddHours(1)));
        }));
        harness.Handler
            .Respond(TransportHarness.Status(status), TransportHarness.ErrorBody(code, "token rejected"))
            .Respond(HttpStatusCode.OK, """{"key_info":{"key_id":"k"}}""");

        // create-key is not idempotent, but a rejected token means nothing was processed.
        CreateKeyResult result = await harness.CreateTransport().CreateKeyAsync(new CreateKeyRequest("alias"));

        Assert.Multiple(() =>
        {
            Assert.That(result.KeyId, Is.EqualTo("k"));
            Assert.That(calls, Is.EqualTo(2));
            Assert.That(harness.Handler.Requests.Select(r => r.Header("X-Auth-Token")), Is.EqualTo(new[] { "stale-token", "fresh-token" }));
        });
    }

    [Test]
    public void Token_Provider_Refresh_Happens_Only_Once()
    {
        int calls = 0;
        var harness = new TransportHarness(credential: new IamTokenCredential(_ =>
        {
            calls++;
            return ValueTask.FromResult(new IamToken("token-" + calls, TransportHarness.Start.AddHours(1)));
        }));
        harness.Handler
            .Respond(HttpStatusCode.Forbidden, TransportHarness.ErrorBody("KMS.0303", "expired"))
            .Respond(HttpStatusCode.Forbidden, TransportHarness.ErrorBody("KMS.0302", "invalid"));

        var ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ErrorCode, Is.EqualTo("KMS.0302"));
            Assert.That(calls, Is.EqualTo(2));
            Assert.That(harness.Handler.Requests, Has.Count.EqualTo(2));
            Assert.That(ex.Message, Does.Not.Contain("token-1").And.Not.Contain("token-2"));
        });
    }

    [Test]
    public void Other_403_Errors_Do_Not_Refresh_The_Token()
    {
        int calls = 0;
        var harness = new TransportHarness(credential: new IamTokenCredential(_ =>
        {
            calls++;
            return ValueTask.FromResult(new IamToken("token", TransportHarness.Start.AddHours(1)));
        }));
        harness.Handler.Respond(HttpStatusCode.Forbidden, TransportHarness.ErrorBody("KMS.0207", "no permission"));

        Assert.ThrowsAsync<KmsRequestFailedException>(() => harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.That(calls, Is.EqualTo(1));
    }

    [Test]
    public async Task Environment_Variables_Supply_Credentials_Project_And_Region(CancellationToken ct)
    {
        DictionaryEnvironment environment = new DictionaryEnvironment()
            .Set("HUAWEICLOUD_SDK_AK", "ENVACCESSKEY")
            .Set("HUAWEICLOUD_SDK_SK", "env-secret-key")
            .Set("HUAWEICLOUD_SDK_SECURITY_TOKEN", "env-security-token")
            .Set("HUAWEICLOUD_SDK_PROJECT_ID", "envproject0001")
            .Set("HUAWEICLOUD_SDK_REGION", "ap-southeast-1");
        var harness = new TransportHarness(
            o =>
            {
                o.Endpoint = null;
                o.ProjectId = null;
            },
            environment,
            new EnvironmentCredential());
        harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        HttpKmsTransport transport = harness.CreateTransport();
        await transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);

        RecordedRequest request = harness.Handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(transport.Endpoint, Is.EqualTo(new Uri("https://kms.ap-southeast-1.myhuaweicloud.com")));
            Assert.That(request.Uri.AbsoluteUri, Is.EqualTo("https://kms.ap-southeast-1.myhuaweicloud.com/v1.0/envproject0001/kms/describe-key"));
            Assert.That(request.Header("X-Project-Id"), Is.EqualTo("envproject0001"));
            Assert.That(request.Header("X-Security-Token"), Is.EqualTo("env-security-token"));
            Assert.That(transport.ToString(), Does.Contain("environment").And.Not.Contain("env-secret-key"));
        });
        SignatureAssert.IsValid(request, "ENVACCESSKEY", "env-secret-key");
    }

    [Test]
    public async Task Options_Take_Precedence_Over_The_Environment(CancellationToken ct)
    {
        DictionaryEnvironment environment = new DictionaryEnvironment()
            .Set("HUAWEICLOUD_SDK_AK", "ENVACCESSKEY")
            .Set("HUAWEICLOUD_SDK_SK", "env-secret-key")
            .Set("HUAWEICLOUD_SDK_SECURITY_TOKEN", "env-security-token")
            .Set("HUAWEICLOUD_SDK_PROJECT_ID", "envproject0001");
        var harness = new TransportHarness(environment: environment);
        harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());

        await harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);

        RecordedRequest request = harness.Handler.Requests.Single();
        Assert.Multiple(() =>
        {
            Assert.That(request.Header("X-Project-Id"), Is.EqualTo(TransportHarness.ProjectId));

            // The environment's security token belongs to the environment's AK/SK, not to the options'.
            Assert.That(request.Header("X-Security-Token"), Is.Null);
        });
        SignatureAssert.IsValid(request, TransportHarness.AccessKey, TransportHarness.SecretKey);
    }
}
