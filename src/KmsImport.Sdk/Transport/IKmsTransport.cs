namespace KmsImport.Sdk.Transport;

/// <summary>
/// The KMS operations behind key import, with typed requests and responses. Implemented by
/// the HTTPS transport (<c>HttpKmsTransport</c>) and by the local emulator
/// (<c>KmsImport.Sdk.Testing.LocalKms</c>); mock it to test code that drives the service directly.
/// </summary>
/// <remarks>
/// Failures the service reports are <see cref="KmsRequestFailedException"/>. Implementations are
/// thread-safe.
/// </remarks>
public interface IKmsTransport
{
    /// <summary>create-key.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The new key's id.</returns>
    /// <exception cref="KmsRequestFailedException">The service refused the request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<CreateKeyResult> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>get-parameters-for-import.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The wrapping key, the import token and their expiry.</returns>
    /// <exception cref="KmsRequestFailedException">The service refused the request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<ImportParameters> GetParametersForImportAsync(GetParametersForImportRequest request, CancellationToken cancellationToken = default);

    /// <summary>import-key-material, with material that is already wrapped.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the service accepted the material.</returns>
    /// <exception cref="KmsRequestFailedException">The service refused the request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task ImportKeyMaterialAsync(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default);

    /// <summary>delete-imported-key-material.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>A task that completes when the material is deleted.</returns>
    /// <exception cref="KmsRequestFailedException">The service refused the request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task DeleteImportedKeyMaterialAsync(DeleteImportedKeyMaterialRequest request, CancellationToken cancellationToken = default);

    /// <summary>describe-key.</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The key's details.</returns>
    /// <exception cref="KmsRequestFailedException">The service refused the request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<KeyDetails> DescribeKeyAsync(DescribeKeyRequest request, CancellationToken cancellationToken = default);

    /// <summary>list-keys: one page.</summary>
    /// <param name="request">The request; its key spec filter is <c>ALL</c> unless set.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The page.</returns>
    /// <exception cref="KmsRequestFailedException">The service refused the request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<ListKeysPage> ListKeysAsync(ListKeysRequest request, CancellationToken cancellationToken = default);

    /// <summary>get-publickey: the public key of an asymmetric key (symmetric keys are refused).</summary>
    /// <param name="request">The request.</param>
    /// <param name="cancellationToken">Cancels the call.</param>
    /// <returns>The public key.</returns>
    /// <exception cref="KmsRequestFailedException">The service refused the request.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    Task<KmsPublicKey> GetPublicKeyAsync(GetPublicKeyRequest request, CancellationToken cancellationToken = default);
}
