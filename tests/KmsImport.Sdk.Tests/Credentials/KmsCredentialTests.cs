using System.Net;
using KmsImport.Sdk.Authentication;
using KmsImport.Sdk.Tests.TestSupport;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace KmsImport.Sdk.Tests.Credentials;

// The credential types: what they send, how a provided IAM token is cached and refreshed, and
// that no secret reaches ToString() or an exception message.
[CancelAfter(10_000)]
public class KmsCredentialTests
{
    private const string SecretKey = "credential-secret-key-never-shown";
    private const string SecurityToken = "credential-security-token-never-shown";

    [Test]
    public void ToString_shows_the_kind_of_credential_and_no_secret()
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
    public void Blank_parts_of_an_access_key_credential_are_refused_by_name(string accessKey, string secretKey, string? securityToken, string parameter)
    {
        var ex = Assert.Throws<ArgumentException>(() => _ = new AccessKeyCredential(accessKey, secretKey, securityToken));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.ParamName, Is.EqualTo(parameter));
            Assert.That(ex.Message, Does.Not.Contain(SecretKey));
        });
    }

    [Test]
    public async Task A_provided_token_is_cached_until_shortly_before_it_expires(CancellationToken ct)
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
    public void A_provided_token_that_has_already_expired_is_refused_before_sending()
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
    public async Task Concurrent_calls_share_one_provided_token(CancellationToken ct)
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

    [Test]
    public void A_client_without_DI_refuses_bad_options_before_any_network_call()
    {
        // Port 9 on loopback (discard): nothing is ever sent there, the constructor refuses first.
        var ex = Assert.Throws<OptionsValidationException>(() => _ = new KeyImportClient(
            new Uri("http://127.0.0.1:9"),
            new AccessKeyCredential("AKNOTSENT0000000001", SecretKey),
            new KeyImportClientOptions { ProjectId = "not a project id!" }));

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Message, Does.Contain("'not a project id!' is not a project id"));
            Assert.That(ex.Message, Does.Not.Contain(SecretKey));
        });
    }

    [Test]
    public void A_client_without_DI_refuses_a_plain_http_endpoint_that_is_not_loopback()
    {
        var ex = Assert.Throws<OptionsValidationException>(() => _ = new KeyImportClient(
            new Uri("http://kms.example.com"),
            new AccessKeyCredential("AK", SecretKey),
            new KeyImportClientOptions { ProjectId = TransportHarness.ProjectId }));

        Assert.That(ex!.Message, Does.Contain("uses plain HTTP"));
    }

    [Test]
    public void A_client_without_DI_takes_the_region_endpoint_and_ignores_the_options_endpoint()
    {
        var options = new KeyImportClientOptions { Endpoint = new Uri("http://kms.example.com"), ProjectId = TransportHarness.ProjectId };

        using var client = new KeyImportClient("eu-de", KmsCloud.OpenTelekomCloud, new IamTokenCredential("t"), options);

        Assert.That(options.Endpoint, Is.EqualTo(new Uri("http://kms.example.com")), "the caller's options are not changed");
    }

    [Test]
    public void Null_arguments_of_the_constructors_without_DI_are_refused()
    {
        var credential = new IamTokenCredential("t");
        Assert.Multiple(() =>
        {
            Assert.Throws<ArgumentNullException>(() => _ = new KeyImportClient((Uri)null!, credential));
            Assert.Throws<ArgumentNullException>(() => _ = new KeyImportClient(new Uri("https://kms.eu-de.otc.t-systems.com"), null!));
            Assert.Throws<ArgumentNullException>(() => _ = new KeyImportClient((string)null!, KmsCloud.Huawei, credential));
            Assert.Throws<ArgumentException>(() => _ = new KeyImportClient(" ", KmsCloud.Huawei, credential));
        });
    }

    [Test]
    public void A_credential_registered_in_the_container_is_used_and_the_environment_is_the_default()
    {
        var withCredential = new ServiceCollection();
        withCredential.AddSingleton<IEnvironmentVariableReader>(DictionaryEnvironment.Empty);
        withCredential.AddKeyImportClient(new IamTokenCredential("t"), o =>
        {
            o.Endpoint = new Uri("https://kms.eu-de.otc.t-systems.com");
            o.ProjectId = TransportHarness.ProjectId;
        });
        var withoutCredential = new ServiceCollection();
        withoutCredential.AddSingleton<IEnvironmentVariableReader>(DictionaryEnvironment.Empty);
        withoutCredential.AddKeyImportClient(o =>
        {
            o.Endpoint = new Uri("https://kms.eu-de.otc.t-systems.com");
            o.ProjectId = TransportHarness.ProjectId;
        });
        using ServiceProvider good = withCredential.BuildServiceProvider();
        using ServiceProvider missing = withoutCredential.BuildServiceProvider();

        Assert.Multiple(() =>
        {
            Assert.That(good.GetRequiredService<IKmsTransport>().ToString(), Does.Contain("IAM token"));
            var ex = Assert.Throws<OptionsValidationException>(() => missing.GetRequiredService<IStartupValidator>().Validate());
            Assert.That(ex!.Message, Does.Contain("No credentials").And.Contain("HUAWEICLOUD_SDK_AK"));
        });
    }
}
