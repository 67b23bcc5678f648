using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Batches;

/// <summary>One key of a migration: material for an existing key (<see cref="KeyId"/>) or for a key created by alias (<see cref="CreateKey"/>), at one target.</summary>
public sealed class MigrationItem
{
    /// <summary>A label of where the key lives (an endpoint, or <c>cloud/region/project</c>); it identifies the key in the journal together with the key id or alias.</summary>
    public required string Target { get; init; }

    /// <summary>The client that talks to <see cref="Target"/>.</summary>
    public required IKeyImportClient Client { get; init; }

    /// <summary>An existing key (origin external); null when <see cref="CreateKey"/> is given.</summary>
    public string? KeyId { get; init; }

    /// <summary>The key to create (origin external) by alias, exactly once across retries and runs; null when <see cref="KeyId"/> is given.</summary>
    public CreateKeyRequest? CreateKey { get; init; }

    /// <summary>The plaintext material; the caller keeps ownership. Several items may share one instance (one material at several targets).</summary>
    public required KeyMaterial Material { get; init; }

    /// <summary>Expiry and wrapping algorithm; defaults when null.</summary>
    public ImportKeyMaterialOptions? Options { get; init; }
}
