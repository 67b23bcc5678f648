using KmsImport.Sdk.Batches;
using Microsoft.Extensions.DependencyInjection;

namespace KmsImport.Sdk.Testing.Tests.TestSupport;

/// <summary>An emulator served on loopback and an AK/SK client over real HTTP to it, optionally behind an adaptive limiter.</summary>
internal sealed class ServedTarget : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private ServedTarget(LocalKmsServer server, ServiceProvider provider)
    {
        Server = server;
        _provider = provider;
        Client = provider.GetRequiredService<IKeyImportClient>();
    }

    public LocalKmsServer Server { get; }

    public IKeyImportClient Client { get; }

    public string Label => Server.BaseAddress.ToString();

    public static async Task<ServedTarget> StartAsync(LocalKmsServerOptions? options = null, AdaptiveConcurrencyLimiter? limiter = null, int maxRetryAttempts = 3)
    {
        LocalKmsServer server = await LocalKmsServer.StartAsync(options ?? new LocalKmsServerOptions());
        var services = new ServiceCollection();
        IHttpClientBuilder http = services.AddKeyImportClient(new AccessKeyCredential(server.AccessKey, server.SecretKey), o =>
        {
            o.Endpoint = server.BaseAddress;
            o.ProjectId = server.ProjectId;
            o.Retry.MaxRetryAttempts = maxRetryAttempts;
            o.Retry.BaseDelay = TimeSpan.FromMilliseconds(20);
            o.Retry.MaxDelay = TimeSpan.FromSeconds(2);
        });
        if (limiter is not null)
        {
            http.AddHttpMessageHandler(() => new AdaptiveConcurrencyHandler(limiter));
        }

        return new ServedTarget(server, services.BuildServiceProvider());
    }

    public async Task<List<KeyDetails>> KeysWithAliasAsync(string alias)
    {
        var keys = new List<KeyDetails>();
        await foreach (KeyDetails key in Client.ListKeysAsync())
        {
            if (key.KeyAlias == alias)
            {
                keys.Add(key);
            }
        }

        return keys;
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Server.DisposeAsync();
    }
}
