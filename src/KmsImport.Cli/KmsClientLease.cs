using KmsImport.Sdk;

namespace KmsImport.Cli;

/// <summary>A client and what owns its resources (the client itself, or the service provider that made it).</summary>
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
