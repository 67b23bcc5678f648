using System.Net;
using Microsoft.Extensions.Time.Testing;

namespace KmsImport.Sdk.Testing.Tests.Server;

/// <summary>The gateway's throttle over real sockets, on the server's clock (a <see cref="FakeTimeProvider"/>), and the wrapping key pool.</summary>
[CancelAfter(120_000)]
public class ThrottleTests
{
    [Test]
    public async Task Beyond_The_Rate_A_Request_Gets_429_APIG_0308_With_Retry_After_And_Is_Not_Processed_Until_A_Token_Is_Back()
    {
        var time = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using LocalKmsServer server = await LocalKmsServer.StartAsync(new LocalKmsServerOptions { MaxRequestsPerSecond = 2, TimeProvider = time });
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var client = new RawKmsClient(server, http) { Clock = time.GetUtcNow };

        Assert.That((await client.SendAsync("create-key", new { key_alias = "a" })).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.SendAsync("create-key", new { key_alias = "b" })).Status, Is.EqualTo(HttpStatusCode.OK));
        RawResponse throttled = await client.SendAsync("create-key", new { key_alias = "c" });

        Assert.That(throttled.Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
        Assert.That(throttled.GatewayErrorCode, Is.EqualTo("APIG.0308"));
        Assert.That(throttled.RetryAfter, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(server.Kms.KeyCount, Is.EqualTo(2), "refused before processing");
        Assert.That(server.ThrottledCount, Is.EqualTo(1));

        time.Advance(TimeSpan.FromMilliseconds(500));
        Assert.That((await client.SendAsync("create-key", new { key_alias = "c" })).Status, Is.EqualTo(HttpStatusCode.OK), "half a second gives one token back at 2/s");
        Assert.That((await client.SendAsync("create-key", new { key_alias = "d" })).Status, Is.EqualTo(HttpStatusCode.TooManyRequests));
    }

    [Test]
    public void A_Negative_Rate_Is_Refused()
    {
        Assert.That(() => LocalKmsServer.StartAsync(new LocalKmsServerOptions { MaxRequestsPerSecond = -1 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }

    [Test]
    public async Task A_Wrapping_Key_Pool_Issues_Its_Keys_Round_Robin_And_Imports_Still_Unwrap()
    {
        using var kms = new LocalKms(new LocalKmsOptions { WrappingKeyPoolSize = 2 });
        var keys = new List<string>();
        var publicKeys = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            string keyId = await LocalKmsTestKit.CreateExternalKeyAsync(kms, KeySpec.Aes256);
            ImportParameters parameters = await kms.GetParametersForImportAsync(new GetParametersForImportRequest(keyId));
            keys.Add(keyId);
            publicKeys.Add(Convert.ToBase64String(parameters.WrappingKey.SubjectPublicKeyInfo.Span));
        }

        Assert.That(publicKeys[2], Is.EqualTo(publicKeys[0]));
        Assert.That(publicKeys[1], Is.Not.EqualTo(publicKeys[0]));
        var client = new KeyImportClient(kms);
        using Sdk.Cryptography.KeyMaterial material = LocalKmsTestKit.RandomSymmetric(KeySpec.Aes256);
        KeyImportResult result = await client.ImportKeyMaterialAsync(keys[2], material);
        Assert.That(kms.GetImportedMaterialFingerprint(keys[2]), Is.EqualTo(result.MaterialFingerprint));
    }

    [Test]
    public void A_Pool_Size_Out_Of_Range_Is_Refused()
    {
        Assert.That(() => new LocalKms(new LocalKmsOptions { WrappingKeyPoolSize = -1 }), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
