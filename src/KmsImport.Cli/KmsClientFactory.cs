using KmsImport.Sdk;
using KmsImport.Sdk.Batches;
using Microsoft.Extensions.DependencyInjection;

namespace KmsImport.Cli;

/// <summary>Builds the SDK's client the way an application does: <c>AddKeyImportClient</c> over a service provider.</summary>
internal static class KmsClientFactory
{
    public static KmsClientLease Create(KeyImportClientOptions options) => Create(options, null);

    /// <summary>A client whose HTTP requests, when <paramref name="limiter"/> is given, follow its adaptive concurrency.</summary>
    public static KmsClientLease Create(KeyImportClientOptions options, AdaptiveConcurrencyLimiter? limiter)
    {
        ArgumentNullException.ThrowIfNull(options);
        var services = new ServiceCollection();
        IHttpClientBuilder http = services.AddKeyImportClient(o => CopyTo(options, o));
        if (limiter is not null)
        {
            http.AddHttpMessageHandler(() => new AdaptiveConcurrencyHandler(limiter));
        }

        ServiceProvider provider = services.BuildServiceProvider();
        return new KmsClientLease(provider, provider.GetRequiredService<IKeyImportClient>());
    }

    internal static void CopyTo(KeyImportClientOptions source, KeyImportClientOptions target)
    {
        target.Endpoint = source.Endpoint;
        target.Region = source.Region;
        target.Cloud = source.Cloud;
        target.ProjectId = source.ProjectId;
        target.AccessKey = source.AccessKey;
        target.SecretKey = source.SecretKey;
        target.SecurityToken = source.SecurityToken;
        target.AuthToken = source.AuthToken;
        target.AuthTokenProvider = source.AuthTokenProvider;
        target.ImportParametersSafetyMargin = source.ImportParametersSafetyMargin;
        target.Retry = source.Retry;
    }
}

/// <summary>A client and the service provider that owns it.</summary>
internal sealed class KmsClientLease : IAsyncDisposable
{
    private readonly IAsyncDisposable? _owner;

    public KmsClientLease(IAsyncDisposable? owner, IKeyImportClient client)
    {
        _owner = owner;
        Client = client;
    }

    public IKeyImportClient Client { get; }

    public ValueTask DisposeAsync() => _owner?.DisposeAsync() ?? ValueTask.CompletedTask;
}
