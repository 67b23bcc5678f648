using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace KmsImport.Sdk.Testing.Tests.TestSupport;

/// <summary>A second transport against a running server, authenticated with an IAM token instead of AK/SK.</summary>
internal sealed class EndToEndClient : IAsyncDisposable
{
    private readonly ServiceProvider _provider;

    private EndToEndClient(ServiceProvider provider)
    {
        _provider = provider;
        Transport = provider.GetRequiredService<IKmsTransport>();
    }

    public IKmsTransport Transport { get; }

    public static Task<EndToEndClient> CreateAsync(LocalKmsServer server, string authToken)
    {
        var services = new ServiceCollection();
        services.AddKeyImportClient(new IamTokenCredential(authToken), options =>
        {
            options.Endpoint = server.BaseAddress;
            options.ProjectId = server.ProjectId;
            options.Retry.BaseDelay = TimeSpan.FromMilliseconds(20);
            options.Retry.AttemptTimeout = TimeSpan.FromSeconds(60);
            options.Retry.TotalTimeout = TimeSpan.FromSeconds(150);
        });
        return Task.FromResult(new EndToEndClient(services.BuildServiceProvider()));
    }

    public ValueTask DisposeAsync() => _provider.DisposeAsync();
}
