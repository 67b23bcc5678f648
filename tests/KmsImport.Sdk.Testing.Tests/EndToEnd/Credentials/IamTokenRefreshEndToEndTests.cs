using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace KmsImport.Sdk.Testing.Tests.EndToEnd.Credentials;

// An IamTokenCredential with a provider, shared by two clients, against the served emulator over loopback:
// the provider is asked once per rejected token and not on every request for a short-lived token.
[CancelAfter(60_000)]
public class IamTokenRefreshEndToEndTests
{
    [Test]
    public async Task Concurrent_Rejections_Of_One_Token_Through_Two_Clients_Cost_One_Provider_Call()
    {
        var options = new LocalKmsServerOptions();
        options.AuthTokens["expired-token"] = DateTimeOffset.UtcNow.AddHours(-1);
        options.AuthTokens["fresh-token"] = DateTimeOffset.UtcNow.AddHours(1);
        await using LocalKmsServer server = await LocalKmsServer.StartAsync(options);
        int calls = 0;

        // The provider believes every token valid for an hour; the service has already expired the first.
        var credential = new IamTokenCredential(_ =>
        {
            int call = Interlocked.Increment(ref calls);
            return ValueTask.FromResult(new IamToken(call == 1 ? "expired-token" : "fresh-token", DateTimeOffset.UtcNow.AddHours(1)));
        });
        await using ServiceProvider first = CreateProvider(server, credential);
        await using ServiceProvider second = CreateProvider(server, credential);
        IKmsTransport[] transports = [first.GetRequiredService<IKmsTransport>(), second.GetRequiredService<IKmsTransport>()];

        CreateKeyResult[] created = await Task.WhenAll(Enumerable.Range(0, 8).Select(i =>
            transports[i % 2].CreateKeyAsync(new CreateKeyRequest($"tok-{i}-{Guid.NewGuid():N}") { Origin = KeyOrigin.External })));

        Assert.Multiple(() =>
        {
            Assert.That(created.Select(c => c.KeyId).Distinct().Count(), Is.EqualTo(8));
            Assert.That(calls, Is.EqualTo(2), "one call for the first token, one for its replacement");
        });
    }

    [Test]
    public async Task A_Token_Expiring_Within_The_Refresh_Margin_Is_Not_Fetched_Again_On_Every_Request()
    {
        var options = new LocalKmsServerOptions();
        options.AuthTokens["short-token"] = DateTimeOffset.UtcNow.AddHours(1);
        await using LocalKmsServer server = await LocalKmsServer.StartAsync(options);
        int calls = 0;
        var credential = new IamTokenCredential(_ =>
        {
            Interlocked.Increment(ref calls);
            return ValueTask.FromResult(new IamToken("short-token", DateTimeOffset.UtcNow.AddMinutes(2)));
        });
        await using ServiceProvider provider = CreateProvider(server, credential);
        IKmsTransport transport = provider.GetRequiredService<IKmsTransport>();

        for (int i = 0; i < 5; i++)
        {
            await transport.CreateKeyAsync(new CreateKeyRequest($"short-{i}-{Guid.NewGuid():N}") { Origin = KeyOrigin.External });
        }

        Assert.That(calls, Is.EqualTo(1));
    }

    private static ServiceProvider CreateProvider(LocalKmsServer server, KmsCredential credential)
    {
        var services = new ServiceCollection();
        services.AddKeyImportClient(credential, o =>
        {
            o.Endpoint = server.BaseAddress;
            o.ProjectId = server.ProjectId;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(10);
        });
        return services.BuildServiceProvider();
    }
}
