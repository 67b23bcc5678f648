using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk;

/// <summary>
/// Imports your own key material into Huawei Cloud or Open Telekom Cloud KMS. Immutable and
/// thread-safe; register it with <c>services.AddKeyImportClient(...)</c> or construct
/// <see cref="KeyImportClient"/> over an <see cref="IKmsTransport"/>. Mock this interface in your
/// own tests.
/// </summary>
public interface IKeyImportClient
{
    /// <summary>Creates a key (by default with origin <c>external</c>, ready for import).</summary>
    /// <param name="request">The key to create.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new key's id.</returns>
    /// <exception cref="KmsRequestFailedException">The service refused the request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<CreateKeyResult> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>Fetches a fresh wrapping key and import token for a key.</summary>
    /// <param name="keyId">The key id.</param>
    /// <param name="wrappingAlgorithm">The wrapping algorithm; RSAES_OAEP_SHA_256 when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The import parameters.</returns>
    /// <exception cref="KmsRequestFailedException">The service refused the request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<ImportParameters> GetParametersForImportAsync(string keyId, WrappingAlgorithm? wrappingAlgorithm = null, CancellationToken cancellationToken = default);

    /// <summary>Imports material that is already wrapped (by this SDK, an HSM or <c>openssl</c>).</summary>
    /// <param name="request">The wrapped material, token and expiry.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the service accepted the material.</returns>
    /// <exception cref="KmsRequestFailedException">The service refused the request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task ImportWrappedKeyMaterialAsync(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default);

    /// <summary>Deletes imported symmetric material; the key returns to "pending import".</summary>
    /// <param name="keyId">The key id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the material is deleted.</returns>
    /// <exception cref="KmsRequestFailedException">The service refused the request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task DeleteImportedKeyMaterialAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>Describes a key.</summary>
    /// <param name="keyId">The key id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key's details.</returns>
    /// <exception cref="KmsRequestFailedException">The service refused the request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<KeyDetails> DescribeKeyAsync(string keyId, CancellationToken cancellationToken = default);

    /// <summary>
    /// The whole workflow for one key: pre-flight checks, import parameters (cached while valid),
    /// wrap, import; refreshes an expired or rejected token once and resolves an import whose
    /// outcome is unknown with describe-key, so a key is never imported twice.
    /// </summary>
    /// <param name="keyId">The key id (origin external, pending import).</param>
    /// <param name="material">The plaintext material; the caller keeps ownership.</param>
    /// <param name="options">Expiry and wrapping algorithm; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key's id, state, material expiry and the SHA-256 fingerprint of the material.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is not a KMS key id; nothing was sent.</exception>
    /// <exception cref="KeyImportValidationException">
    /// A pre-flight check failed (origin not external, key not pending import, spec mismatch, expiry
    /// for asymmetric material or in the past, unsupported wrapping algorithm); nothing was imported.
    /// </exception>
    /// <exception cref="KmsRequestFailedException">
    /// The service refused the import for good, or its outcome stayed unknown after
    /// <see cref="KeyImportClient.MaxImportAttempts"/> attempts and describe-key did not settle it
    /// (<see cref="KmsRequestFailedException.IsOutcomeUnknown"/>).
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<KeyImportResult> ImportKeyMaterialAsync(string keyId, KeyMaterial material, ImportKeyMaterialOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>Creates an external key for the material's spec and imports the material into it.</summary>
    /// <param name="request">The key to create; its <see cref="CreateKeyRequest.KeySpec"/> must match the material.</param>
    /// <param name="material">The plaintext material; the caller keeps ownership.</param>
    /// <param name="options">Expiry and wrapping algorithm; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The import result.</returns>
    /// <exception cref="ArgumentException">The alias, description or sequence number is malformed; nothing was sent.</exception>
    /// <exception cref="KeyImportValidationException">A pre-flight check failed; no key was created.</exception>
    /// <exception cref="KmsRequestFailedException">create-key failed; no key was created, or (when <see cref="KmsRequestFailedException.IsOutcomeUnknown"/>) maybe one was.</exception>
    /// <exception cref="KeyLeftPendingImportException">The key was created but the import failed for good; the exception names the key.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<KeyImportResult> CreateKeyAndImportAsync(CreateKeyRequest request, KeyMaterial material, ImportKeyMaterialOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Imports many keys with bounded concurrency. Yields one result per item as it completes; one
    /// key's failure (including bad input for that item) is its result and does not stop the others.
    /// </summary>
    /// <param name="items">The keys and their material; the caller keeps ownership of the material.</param>
    /// <param name="options">Concurrency and progress; defaults when null.</param>
    /// <param name="cancellationToken">
    /// Stops starting new imports and cancels those under way; their results are still yielded, then
    /// the enumeration throws <see cref="OperationCanceledException"/>.
    /// </param>
    /// <returns>The per-key results, in completion order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="items"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><see cref="BatchImportOptions.MaxConcurrency"/> is not between 1 and 256.</exception>
    IAsyncEnumerable<BatchImportResult> ImportBatchAsync(IEnumerable<BatchImportItem> items, BatchImportOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// Every key of the project (list-keys, page by page as the enumeration goes on). Asymmetric
    /// keys included: the service is sent <c>key_spec</c> <c>ALL</c> unless a spec is given.
    /// </summary>
    /// <param name="options">Filters and page size; defaults when null.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The keys, in the service's order.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The page size or the state filter is out of range; nothing was sent.</exception>
    /// <exception cref="KmsRequestFailedException">The service refused a page.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    IAsyncEnumerable<KeyDetails> ListKeysAsync(ListKeysOptions? options = null, CancellationToken cancellationToken = default);

    /// <summary>The public key of an asymmetric key (get-publickey).</summary>
    /// <param name="keyId">The key id.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The public key, as PEM and as DER SubjectPublicKeyInfo.</returns>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is not a KMS key id; nothing was sent.</exception>
    /// <exception cref="KmsRequestFailedException">The service refused the request (for example for a symmetric key).</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<KmsPublicKey> GetPublicKeyAsync(string keyId, CancellationToken cancellationToken = default);
}
