using KmsImport.Sdk.Testing;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>
/// The emulator served on a loopback port, and clients built the way an application builds them:
/// <c>AddKeyImportClient</c> pointed at it (AK/SK), small retry delays, the audit's Trace logger and
/// a recording handler in the HttpClient pipeline.
/// </summary>
internal sealed class ServedKms : IAsyncDisposable
{
    private ServedKms(LocalKmsServer server)
    {
        Server = server;
        SecretAudit.Secrets.Add(server.SecretKey);
        SecretAudit.Texts.AddObject(server);
    }

    public LocalKmsServer Server { get; }

    public LocalKms Kms => Server.Kms;

    public int Port => Server.BaseAddress.Port;

    public static async Task<ServedKms> StartAsync(LocalKmsServerOptions? options = null)
    {
        LocalKmsServer server = await LocalKmsServer.StartAsync(options).WaitAsync(TimeSpan.FromSeconds(30));
        return new ServedKms(server);
    }

    /// <summary>Retry settings that keep fault tests fast: the defaults' shape with millisecond delays.</summary>
    public static KmsRetryOptions FastRetry(TimeSpan? attemptTimeout = null, int maxRetryAttempts = 3) => new()
    {
        MaxRetryAttempts = maxRetryAttempts,
        BaseDelay = TimeSpan.FromMilliseconds(5),
        MaxDelay = TimeSpan.FromMilliseconds(200),
        AttemptTimeout = attemptTimeout ?? TimeSpan.FromSeconds(5),
        TotalTimeout = TimeSpan.FromSeconds(40),
    };

    /// <summary>A DI container with one client over HTTP to this server.</summary>
    public ClientHost CreateClient(KmsRetryOptions? retry = null, Action<KeyImportClientOptions>? configure = null, Action<IServiceCollection>? services = null, KmsCredential? credential = null)
    {
        var collection = new ServiceCollection();
        collection.AddLogging(SecretAudit.AddCapturingLogging);
        services?.Invoke(collection);
        var counter = new RequestCounter();
        collection.AddKeyImportClient(credential ?? new AccessKeyCredential(Server.AccessKey, Server.SecretKey), options =>
        {
            options.Endpoint = Server.BaseAddress;
            options.ProjectId = Server.ProjectId;
            options.Retry = retry ?? FastRetry();
            configure?.Invoke(options);
        }).AddHttpMessageHandler(() => new RecordingHandler(counter));
        ServiceProvider provider = collection.BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true, ValidateScopes = true });
        return new ClientHost(provider, counter);
    }

    public async ValueTask DisposeAsync() => await Server.DisposeAsync();

    /// <summary>A client, its transport and request counter; disposing it disposes the container (and its connections).</summary>
    internal sealed class ClientHost(ServiceProvider provider, RequestCounter requests) : IAsyncDisposable
    {
        public IKeyImportClient Client { get; } = provider.GetRequiredService<IKeyImportClient>();

        public IKmsTransport Transport { get; } = provider.GetRequiredService<IKmsTransport>();

        public RequestCounter Requests { get; } = requests;

        public ValueTask DisposeAsync() => provider.DisposeAsync();
    }
}
