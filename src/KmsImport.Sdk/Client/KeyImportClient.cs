using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KmsImport.Sdk;

/// <summary>The default <see cref="IKeyImportClient"/>. Immutable and thread-safe.</summary>
/// <remarks>PLACEHOLDER: the simple operations only; the workflows come with the client issue.</remarks>
public class KeyImportClient : IKeyImportClient
{
    private readonly IKmsTransport _transport;
    private readonly KeyImportClientOptions _options;
    private readonly IKeyMaterialWrapper _wrapper;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;

    /// <summary>Creates a client over a transport.</summary>
    /// <param name="transport">The HTTPS transport or the local emulator.</param>
    /// <param name="options">Options; defaults when null.</param>
    /// <param name="wrapper">The wrapping service; <see cref="KeyMaterialWrapper.Shared"/> when null.</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    public KeyImportClient(IKmsTransport transport, KeyImportClientOptions? options = null, IKeyMaterialWrapper? wrapper = null, TimeProvider? timeProvider = null, ILogger<KeyImportClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        _transport = transport;
        _options = options ?? new KeyImportClientOptions();
        _wrapper = wrapper ?? KeyMaterialWrapper.Shared;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
    }

    /// <summary>For mocking.</summary>
    protected KeyImportClient()
    {
        _transport = null!;
        _options = null!;
        _wrapper = null!;
        _timeProvider = null!;
        _logger = null!;
    }

    /// <inheritdoc/>
    public virtual Task<CreateKeyResult> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default) =>
        _transport.CreateKeyAsync(request, cancellationToken);

    /// <inheritdoc/>
    public virtual Task<ImportParameters> GetParametersForImportAsync(string keyId, WrappingAlgorithm? wrappingAlgorithm = null, CancellationToken cancellationToken = default) =>
        _transport.GetParametersForImportAsync(new GetParametersForImportRequest(keyId) { WrappingAlgorithm = wrappingAlgorithm ?? WrappingAlgorithm.RsaesOaepSha256 }, cancellationToken);

    /// <inheritdoc/>
    public virtual Task ImportWrappedKeyMaterialAsync(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default) =>
        _transport.ImportKeyMaterialAsync(request, cancellationToken);

    /// <inheritdoc/>
    public virtual Task DeleteImportedKeyMaterialAsync(string keyId, CancellationToken cancellationToken = default) =>
        _transport.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(keyId), cancellationToken);

    /// <inheritdoc/>
    public virtual Task<KeyDetails> DescribeKeyAsync(string keyId, CancellationToken cancellationToken = default) =>
        _transport.DescribeKeyAsync(new DescribeKeyRequest(keyId), cancellationToken);

    /// <inheritdoc/>
    public virtual async Task<KeyImportResult> ImportKeyMaterialAsync(string keyId, KeyMaterial material, ImportKeyMaterialOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(material);
        options ??= new ImportKeyMaterialOptions();
        ImportParameters parameters = await GetParametersForImportAsync(keyId, options.WrappingAlgorithm, cancellationToken).ConfigureAwait(false);
        WrappedKeyMaterial wrapped = _wrapper.Wrap(material, parameters.WrappingKey, options.WrappingAlgorithm);
        DateTimeOffset? expiresOn = options.Expiry.ResolveExpiresOn(_timeProvider);
        await _transport.ImportKeyMaterialAsync(
            new ImportKeyMaterialRequest(keyId, parameters.ImportToken, wrapped.EncryptedKeyMaterialBase64)
            {
                EncryptedPrivateKey = wrapped.EncryptedPrivateKeyBase64,
                MaterialExpiresOn = expiresOn,
            },
            cancellationToken).ConfigureAwait(false);
        KeyDetails details = await DescribeKeyAsync(keyId, cancellationToken).ConfigureAwait(false);
        return new KeyImportResult(keyId, details.KeyState, details.MaterialExpiresOn, material.ComputeFingerprint());
    }

    /// <inheritdoc/>
    public virtual async Task<KeyImportResult> CreateKeyAndImportAsync(CreateKeyRequest request, KeyMaterial material, ImportKeyMaterialOptions? options = null, CancellationToken cancellationToken = default)
    {
        CreateKeyResult created = await CreateKeyAsync(request, cancellationToken).ConfigureAwait(false);
        return await ImportKeyMaterialAsync(created.KeyId, material, options, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public virtual async IAsyncEnumerable<BatchImportResult> ImportBatchAsync(IEnumerable<BatchImportItem> items, BatchImportOptions? options = null, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        foreach (BatchImportItem item in items)
        {
            BatchImportResult result;
            try
            {
                result = new BatchImportResult(item.KeyId, await ImportKeyMaterialAsync(item.KeyId, item.Material, item.Options, cancellationToken).ConfigureAwait(false), null);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                result = new BatchImportResult(item.KeyId, null, ex);
            }

            yield return result;
        }
    }
}
