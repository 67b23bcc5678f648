using System.Collections.Concurrent;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Cli.Batch;

/// <summary>
/// A target's client as <c>import-batch</c> hands it to the migration. When import-batch describes a key
/// itself (32 bytes of material fit AES_256 and HMAC_256: the key's spec decides) and finds it pending
/// import, the migration's own describe-key of that key gets that answer, once, instead of a second
/// request; the migration hands that answer on to the import's pre-flight, so each key is described once.
/// An Enabled key is described afresh: "already imported" must not rest on an earlier answer; and should a
/// key be imported between planning and its turn, the service refuses the import and the migration asks
/// again, finding it already imported. Every other call goes to the client.
/// </summary>
internal sealed class DescribedKeysClient(IKeyImportClient client) : IKeyImportClient
{
    private readonly ConcurrentDictionary<string, KeyDetails> _pending = new(StringComparer.Ordinal);

    /// <summary>Describes a key for import-batch and keeps a pending-import answer for the migration.</summary>
    public async Task<KeyDetails> DescribeForSpecAsync(string keyId, CancellationToken cancellationToken)
    {
        KeyDetails details = await client.DescribeKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
        if (details.KeyState == KeyState.PendingImport)
        {
            _pending[keyId] = details;
        }

        return details;
    }

    public Task<KeyDetails> DescribeKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        _pending.TryRemove(keyId, out KeyDetails? known) ? Task.FromResult(known) : client.DescribeKeyAsync(keyId, cancellationToken);

    public Task<CreateKeyResult> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default) =>
        client.CreateKeyAsync(request, cancellationToken);

    public Task<ImportParameters> GetParametersForImportAsync(string keyId, WrappingAlgorithm? wrappingAlgorithm = null, CancellationToken cancellationToken = default) =>
        client.GetParametersForImportAsync(keyId, wrappingAlgorithm, cancellationToken);

    public Task ImportWrappedKeyMaterialAsync(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default) =>
        client.ImportWrappedKeyMaterialAsync(request, cancellationToken);

    public Task DeleteImportedKeyMaterialAsync(string keyId, CancellationToken cancellationToken = default) =>
        client.DeleteImportedKeyMaterialAsync(keyId, cancellationToken);

    public Task<KeyImportResult> ImportKeyMaterialAsync(string keyId, KeyMaterial material, ImportKeyMaterialOptions? options = null, CancellationToken cancellationToken = default) =>
        client.ImportKeyMaterialAsync(keyId, material, options, cancellationToken);

    public Task<KeyImportResult> CreateKeyAndImportAsync(CreateKeyRequest request, KeyMaterial material, ImportKeyMaterialOptions? options = null, CancellationToken cancellationToken = default) =>
        client.CreateKeyAndImportAsync(request, material, options, cancellationToken);

    public IAsyncEnumerable<BatchImportResult> ImportBatchAsync(IEnumerable<BatchImportItem> items, BatchImportOptions? options = null, CancellationToken cancellationToken = default) =>
        client.ImportBatchAsync(items, options, cancellationToken);

    public IAsyncEnumerable<KeyDetails> ListKeysAsync(ListKeysOptions? options = null, CancellationToken cancellationToken = default) =>
        client.ListKeysAsync(options, cancellationToken);

    public Task<KmsPublicKey> GetPublicKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        client.GetPublicKeyAsync(keyId, cancellationToken);
}
