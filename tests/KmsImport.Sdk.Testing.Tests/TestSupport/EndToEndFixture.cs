using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace KmsImport.Sdk.Testing.Tests.TestSupport;

/// <summary>
/// The HTTPS transport, registered by <c>AddKeyImportClient</c>, against the served emulator over
/// real loopback sockets. The emulator's clock is a <see cref="FakeTimeProvider"/> (token and
/// material expiry), while signatures are judged by the real clock.
/// </summary>
internal sealed class EndToEndFixture : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private EndToEndFixture(LocalKmsServer server, LocalKms kms, FakeTimeProvider kmsTime, ServiceProvider provider)
    {
        Server = server;
        Kms = kms;
        KmsTime = kmsTime;
        _provider = provider;
        Transport = provider.GetRequiredService<IKmsTransport>();
    }

    public LocalKmsServer Server { get; }

    public LocalKms Kms { get; }

    public FakeTimeProvider KmsTime { get; }

    public IKmsTransport Transport { get; }

    public static async Task<EndToEndFixture> StartAsync(Action<LocalKmsServerOptions>? configureServer = null, Action<KeyImportClientOptions>? configureClient = null, TimeProvider? clientTime = null, Func<LocalKmsServer, KmsCredential>? credential = null)
    {
        var kmsTime = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var kms = new LocalKms(timeProvider: kmsTime);
        var serverOptions = new LocalKmsServerOptions { Emulator = kms };
        configureServer?.Invoke(serverOptions);
        LocalKmsServer server = await LocalKmsServer.StartAsync(serverOptions);

        var services = new ServiceCollection();
        if (clientTime is not null)
        {
            services.AddSingleton(clientTime);
        }

        services.AddKeyImportClient(credential?.Invoke(server) ?? new AccessKeyCredential(server.AccessKey, server.SecretKey), options =>
        {
            options.Endpoint = server.BaseAddress;
            options.ProjectId = server.ProjectId;
            options.Retry.BaseDelay = TimeSpan.FromMilliseconds(20);
            options.Retry.MaxDelay = TimeSpan.FromSeconds(2);
            options.Retry.AttemptTimeout = TimeSpan.FromSeconds(60);
            options.Retry.TotalTimeout = TimeSpan.FromSeconds(150);
            configureClient?.Invoke(options);
        });
        return new EndToEndFixture(server, kms, kmsTime, services.BuildServiceProvider());
    }

    public async ValueTask DisposeAsync()
    {
        await _provider.DisposeAsync();
        await Server.DisposeAsync();
        Kms.Dispose();
    }
}
