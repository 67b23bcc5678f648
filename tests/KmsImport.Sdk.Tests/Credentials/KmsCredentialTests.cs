using System.Net;
using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk.Tests.Credentials;

// The public credential types: what they send, how a provided IAM token is cached and refreshed, and
// that no secret reaches ToString() or an exception message.
[CancelAfter(10_000)]
public class KmsCredentialTests
{
    private const string SecretKey = "credential-secret-key-never-shown";
    private const string SecurityToken = "credential-security-token-never-shown";

    [Test]
    public void ToString_Shows_The_Kind_Of_Credential_And_No_Secret()
    {
        string text = string.Join(
            "\n",
            new AccessKeyCredential("AKNEVERSHOWN0000001", SecretKey, SecurityToken),
            new IamTokenCredential("static-iam-token-never-shown"),
            new IamTokenCredential(_ => ValueTask.FromResult(new IamToken("provided-token-never-shown", DateTimeOffset.MaxValue))),
            new IamToken("iam-token-never-shown", new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero)),
            new EnvironmentCredential());

        Assert.Multiple(() =>
        {
            Assert.That(text, Does.Contain("AccessKeyCredential").And.Contain("IamTokenCredential { static }").And.Contain("IamTokenCredential { provider }").And.Contain("EnvironmentCredential"));
            Assert.That(text, Does.Not.Contain("AKNEVERSHOWN").And.Not.Contain(SecretKey).And.Not.Contain(SecurityToken).And.Not.Contain("never-shown"));
        });
    }

    [TestCase("", SecretKey, null, "accessKey")]
    [TestCase("AK", " ", null, "secretKey")]
    [TestCase("AK", SecretKey, "", "securityToken")]
    public void Blank_Parts_Of_An_Access_Key_Credential_Are_Refused_By_Name(string accessKey, string secretKey, string? securityToken, string parameter)
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new AccessKeyCredential(accessKey, secretKey, securityToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo(parameter));
            Assert.That(ex.Message, Does.Not.Contain(SecretKey));
        });
    }

    [Test]
    public async Task A_Provided_Token_Is_Cached_Until_Shortly_Before_It_Expires(CancellationToken ct)
    {
        int calls = 0;
        var harness = new TransportHarness(credential: new IamTokenCredential(_ =>
        {
            calls++;
            return ValueTask.FromResult(new IamToken($"token-{calls}", TransportHarness.Start.AddMinutes(30)));
        }));
        harness.Handler
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody())
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody())
            .Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());
        HttpKmsTransport transport = harness.CreateTransport();

        await transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);
        harness.Time.Advance(TimeSpan.FromMinutes(20));
        await transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);

        // 26 minutes in: within the 5-minute refresh margin of the 30-minute token.
        harness.Time.Advance(TimeSpan.FromMinutes(6));
        await transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct);

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(2));
            Assert.That(harness.Handler.Requests.Select(r => r.Header("X-Auth-Token")), Is.EqualTo(new[] { "token-1", "token-1", "token-2" }));
        });
    }

    [Test]
    public void A_Provided_Token_That_Has_Already_Expired_Is_Refused_Before_Sending()
    {
        var harness = new TransportHarness(credential: new IamTokenCredential(_ =>
            ValueTask.FromResult(new IamToken("expired-token-never-shown", TransportHarness.Start.AddSeconds(-1)))));

        var ex = Assert.ThrowsAsync<InvalidOperationException>(() => harness.CreateTransport().DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId)));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("expired").And.Not.Contain("expired-token-never-shown"));
            Assert.That(harness.Handler.Requests, Is.Empty);
        });
    }

    [Test]
    public async Task Concurrent_Calls_Share_One_Provided_Token(CancellationToken ct)
    {
        int calls = 0;
        var release = new TaskCompletionSource();
        var harness = new TransportHarness(credential: new IamTokenCredential(async _ =>
        {
            Interlocked.Increment(ref calls);
            await release.Task;
            return new IamToken("shared-token", TransportHarness.Start.AddHours(1));
        }));
        for (int i = 0; i < 4; i++)
        {
            harness.Handler.Respond(HttpStatusCode.OK, TransportHarness.DescribeBody());
        }

        HttpKmsTransport transport = harness.CreateTransport();
        Task[] describes = Enumerable.Range(0, 4).Select(_ => (Task)transport.DescribeKeyAsync(new DescribeKeyRequest(TransportHarness.KeyId), ct)).ToArray();
        release.SetResult();
        await Task.WhenAll(describes);

        Assert.Multiple(() =>
        {
            Assert.That(calls, Is.EqualTo(1));
            Assert.That(harness.Handler.Requests.Select(r => r.Header("X-Auth-Token")), Has.All.EqualTo("shared-token"));
        });
    }
}
