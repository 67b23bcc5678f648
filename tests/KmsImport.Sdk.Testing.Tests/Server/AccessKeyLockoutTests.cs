using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace KmsImport.Sdk.Testing.Tests.Server;

/// <summary>
/// The gateway's lockout, over real sockets: five consecutive failed signatures lock the access key
/// for five minutes of the server's clock (a <see cref="FakeTimeProvider"/>), correct signatures
/// included; a correct signature before the fifth resets the count.
/// </summary>
[CancelAfter(300_000)]
public class AccessKeyLockoutTests
{
    private const string LockedMessage = "AK access failed to reach the limit";

    private FakeTimeProvider _time = null!;
    private HttpClient _http = null!;
    private LocalKmsServer? _server;

    [SetUp]
    public void SetUp()
    {
        _time = new FakeTimeProvider(new DateTimeOffset(2026, 12, 1, 3, 0, 0, TimeSpan.Zero));
        _http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
    }

    [TearDown]
    public async Task TearDown()
    {
        _http.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }

    [Test]
    public async Task Five_Bad_Signatures_Lock_The_Access_Key_For_Five_Minutes()
    {
        (RawKmsClient good, RawKmsClient bad) = await StartAsync(new LocalKmsServerOptions());
        for (int i = 0; i < 5; i++)
        {
            RawResponse refused = await bad.SendAsync("create-key", new { key_alias = "k" });
            Assert.That(refused.GatewayErrorCode, Is.EqualTo("APIG.0301"), refused.Text);
            Assert.That(refused.Text, Does.Not.Contain(LockedMessage), $"failure {i + 1} is an ordinary signature failure");
        }

        RawResponse locked = await good.SendAsync("create-key", new { key_alias = "k" });
        AssertLocked(locked);

        _time.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        AssertLocked(await good.SendAsync("create-key", new { key_alias = "k" }));
        Assert.That(_server!.Kms.KeyCount, Is.Zero, "nothing processed while locked");

        _time.Advance(TimeSpan.FromSeconds(1));
        RawResponse accepted = await good.SendAsync("create-key", new { key_alias = "k" });
        Assert.That(accepted.Status, Is.EqualTo(HttpStatusCode.OK), accepted.Text);
        Assert.That(_server.Kms.KeyCount, Is.EqualTo(1));
    }

    [Test]
    public async Task A_Correct_Signature_Before_The_Fifth_Failure_Resets_The_Count()
    {
        (RawKmsClient good, RawKmsClient bad) = await StartAsync(new LocalKmsServerOptions());
        for (int i = 0; i < 4; i++)
        {
            await bad.SendAsync("create-key", new { key_alias = "k" });
        }

        Assert.That((await good.SendAsync("create-key", new { key_alias = "a" })).Status, Is.EqualTo(HttpStatusCode.OK));
        for (int i = 0; i < 4; i++)
        {
            await bad.SendAsync("create-key", new { key_alias = "k" });
        }

        RawResponse stillOpen = await good.SendAsync("create-key", new { key_alias = "b" });
        Assert.That(stillOpen.Status, Is.EqualTo(HttpStatusCode.OK), stillOpen.Text);
    }

    [Test]
    public async Task Missing_Signed_Headers_And_Wrong_Security_Tokens_Count_As_Failures()
    {
        (RawKmsClient good, _) = await StartAsync(new LocalKmsServerOptions { MaxFailedSignatures = 2, SecurityToken = "temporary-security-token" });
        good.SecurityToken = "temporary-security-token";
        await good.SendAsync("create-key", new { key_alias = "k" }, request => request.Headers.Remove("X-Project-Id"));
        good.SecurityToken = "another-token";
        await good.SendAsync("create-key", new { key_alias = "k" });
        good.SecurityToken = "temporary-security-token";
        AssertLocked(await good.SendAsync("create-key", new { key_alias = "k" }));
    }

    [Test]
    public async Task Unknown_Access_Keys_Malformed_Headers_And_Clock_Skew_Do_Not_Lock_The_Key()
    {
        (RawKmsClient good, _) = await StartAsync(new LocalKmsServerOptions { MaxFailedSignatures = 1 });
        var unknown = new RawKmsClient(_server!, _http) { AccessKey = "UNKNOWNACCESSKEY0000", Clock = _time.GetUtcNow };
        Assert.That((await unknown.SendAsync("create-key", new { key_alias = "k" })).GatewayErrorCode, Is.EqualTo("APIG.0301"));
        Assert.That((await good.SendAsync("create-key", new { key_alias = "k" }, r => r.Headers.Remove("X-Sdk-Date"))).GatewayErrorCode, Is.EqualTo("APIG.0301"));
        good.Clock = () => _time.GetUtcNow().AddMinutes(20);
        Assert.That((await good.SendAsync("create-key", new { key_alias = "k" })).GatewayErrorCode, Is.EqualTo("APIG.0303"));
        good.Clock = _time.GetUtcNow;

        RawResponse accepted = await good.SendAsync("create-key", new { key_alias = "k" });
        Assert.That(accepted.Status, Is.EqualTo(HttpStatusCode.OK), accepted.Text);
    }

    [Test]
    public async Task The_Lockout_Can_Be_Disabled_Or_Shortened()
    {
        (RawKmsClient good, RawKmsClient bad) = await StartAsync(new LocalKmsServerOptions { MaxFailedSignatures = 0 });
        for (int i = 0; i < 8; i++)
        {
            await bad.SendAsync("create-key", new { key_alias = "k" });
        }

        Assert.That((await good.SendAsync("create-key", new { key_alias = "k" })).Status, Is.EqualTo(HttpStatusCode.OK));
        await _server!.DisposeAsync();
        _server = null;

        (good, bad) = await StartAsync(new LocalKmsServerOptions { MaxFailedSignatures = 1, AccessKeyLockoutDuration = TimeSpan.FromSeconds(10) });
        await bad.SendAsync("create-key", new { key_alias = "k" });
        AssertLocked(await good.SendAsync("create-key", new { key_alias = "k" }));
        _time.Advance(TimeSpan.FromSeconds(10));
        Assert.That((await good.SendAsync("create-key", new { key_alias = "k" })).Status, Is.EqualTo(HttpStatusCode.OK));
    }

    [Test]
    public void Out_Of_Range_Lockout_Options_Are_Refused()
    {
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => LocalKmsServer.StartAsync(new LocalKmsServerOptions { MaxFailedSignatures = -1 }));
        Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => LocalKmsServer.StartAsync(new LocalKmsServerOptions { AccessKeyLockoutDuration = TimeSpan.Zero }));
    }

    private async Task<(RawKmsClient Good, RawKmsClient Bad)> StartAsync(LocalKmsServerOptions options)
    {
        options.TimeProvider = _time;
        _server = await LocalKmsServer.StartAsync(options);
        var good = new RawKmsClient(_server, _http) { Clock = _time.GetUtcNow };
        var bad = new RawKmsClient(_server, _http) { Clock = _time.GetUtcNow, SecretKey = "not-the-secret-key" };
        return (good, bad);
    }

    private static void AssertLocked(RawResponse response)
    {
        Assert.Multiple(() =>
        {
            Assert.That(response.Status, Is.EqualTo(HttpStatusCode.Unauthorized), response.Text);
            Assert.That(response.GatewayErrorCode, Is.EqualTo("APIG.0301"), response.Text);
            Assert.That(response.Json["error_msg"]!.GetValue<string>(), Does.Contain(LockedMessage));
        });
    }
}
