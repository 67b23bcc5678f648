using KmsImport.Sdk;

namespace KmsImport.Cli;

/// <summary>Where and as whom a command talks to KMS: the non-secret options and the credential.</summary>
internal sealed record KmsConnection(KeyImportClientOptions Options, KmsCredential Credential);

/// <summary>Builds the SDK's client the way a ten-line program does: its constructor, without DI.</summary>
internal static class KmsClientFactory
{
    public static KmsClientLease Create(KmsConnection connection)
    {
        ArgumentNullException.ThrowIfNull(connection);
        KeyImportClientOptions options = connection.Options;
        KeyImportClient client = options.Endpoint is { } endpoint
            ? new KeyImportClient(endpoint, connection.Credential, options)
            : new KeyImportClient(options.Region!, options.Cloud, connection.Credential, options);
        return new KmsClientLease(client, client);
    }
}

/// <summary>A client and what owns its resources.</summary>
internal sealed class KmsClientLease : IAsyncDisposable
{
    private readonly IDisposable? _owner;

    public KmsClientLease(IDisposable? owner, IKeyImportClient client)
    {
        _owner = owner;
        Client = client;
    }

    public IKeyImportClient Client { get; }

    public ValueTask DisposeAsync()
    {
        _owner?.Dispose();
        return ValueTask.CompletedTask;
    }
}
