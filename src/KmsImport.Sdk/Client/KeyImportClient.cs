using System.Diagnostics;
using KmsImport.Sdk.Contract;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace KmsImport.Sdk;

/// <summary>The default <see cref="IKeyImportClient"/>. Immutable and thread-safe.</summary>
/// <remarks>
/// <para>
/// The client caches import parameters per key and wrapping algorithm while they stay valid beyond
/// <see cref="KeyImportClientOptions.ImportParametersSafetyMargin"/>, and drops them once their
/// token has been used by a successful import or refused by the service.
/// </para>
/// <para>
/// An import whose outcome is unknown (no response, 408, 5xx) is resolved with describe-key: Enabled
/// means it happened, pending import means it did not and is tried again (at most
/// <see cref="MaxImportAttempts"/> attempts, with back-off). A key is never imported twice and a
/// success is never reported as a failure.
/// </para>
/// </remarks>
public partial class KeyImportClient : IKeyImportClient
{
    /// <summary>How many import attempts whose outcome is unknown are made before the error is reported.</summary>
    public const int MaxImportAttempts = 3;

    private static readonly ImportKeyMaterialOptions s_defaultImportOptions = new();
    private static readonly BatchImportOptions s_defaultBatchOptions = new();

    private readonly IKmsTransport _transport;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly KmsRetryOptions _retry;
    private readonly ImportPreflight _preflight;
    private readonly ImportAttempts _attempts;
    private readonly BatchImporter _batches;
    private readonly KeyIdLocks _keyLocks = new();

    /// <summary>Creates a client over a transport.</summary>
    /// <param name="transport">The HTTPS transport or the local emulator.</param>
    /// <param name="options">Options; defaults when null. Read once: later changes have no effect.</param>
    /// <param name="wrapper">The wrapping service; the SDK's own when null (or <see cref="KeyMaterialWrapper.Shared"/>: with <see cref="KeyImportClientOptions.AllowLegacyWrappingAlgorithms"/> set, one that allows the legacy algorithms).</param>
    /// <param name="timeProvider">The clock; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="transport"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">
    /// <see cref="KeyImportClientOptions.ImportParametersSafetyMargin"/> is negative or not shorter than the 24-hour lifetime of import parameters.
    /// </exception>
    public KeyImportClient(IKmsTransport transport, KeyImportClientOptions? options = null, IKeyMaterialWrapper? wrapper = null, TimeProvider? timeProvider = null, ILogger<KeyImportClient>? logger = null)
    {
        ArgumentNullException.ThrowIfNull(transport);
        options ??= new KeyImportClientOptions();
        TimeSpan margin = options.ImportParametersSafetyMargin;
        if (!KmsContract.IsValidParametersSafetyMargin(margin))
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                margin,
                $"ImportParametersSafetyMargin must be at least zero and shorter than the 24-hour lifetime of import parameters; got {margin}. The default is 5 minutes.");
        }

        _transport = transport;

        // The opt-in reaches the SDK's own wrapper (KeyMaterialWrapper.Shared refuses legacy algorithms).
        IKeyMaterialWrapper effectiveWrapper = (wrapper is null || ReferenceEquals(wrapper, KeyMaterialWrapper.Shared)) && options.AllowLegacyWrappingAlgorithms
            ? KeyMaterialWrapper.SharedAllowingLegacy
            : wrapper ?? KeyMaterialWrapper.Shared;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
        KmsCapabilities capabilities = options.Capabilities ?? KmsCapabilities.For(options.Cloud, options.Region);
        // The back-off of unknown outcomes (import and create-key); copied, as the options are read once.
        KmsRetryOptions retry = options.Retry ?? new KmsRetryOptions();
        _retry = new KmsRetryOptions { BaseDelay = retry.BaseDelay, MaxDelay = retry.MaxDelay };
        _preflight = new ImportPreflight(capabilities, options.AllowLegacyWrappingAlgorithms, _timeProvider, _logger);
        _attempts = new ImportAttempts(
            transport,
            effectiveWrapper,
            new ImportParametersCache(transport, _timeProvider, margin, _logger),
            new ImportConfirmer(transport, _logger),
            _retry,
            _timeProvider,
            _logger);
        _batches = new BatchImporter(ImportKeyMaterialAsync, _logger);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The alias, description or sequence number is malformed; nothing was sent.</exception>
    /// <exception cref="KeyImportValidationException">An external key is asked for in a custom keystore; nothing was sent.</exception>
    /// <remarks>
    /// After an unknown outcome (no answer, 500, 502, 504) the key is created again with the same
    /// alias: <c>KMS.1104</c> then means the first attempt created it, and list-keys finds it by its
    /// alias. When that finds none or several, the error's <see cref="KmsRequestFailedException.IsOutcomeUnknown"/> is true.
    /// </remarks>
    public virtual Task<CreateKeyResult> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default)
    {
        KeyImportArguments.ValidateCreateKey(request, nameof(request));
        CheckKeystoreAcceptsImport(request);
        return CreateKeySettledAsync(request, cancellationToken);
    }

    /// <inheritdoc/>
    /// <remarks>Always fetches fresh parameters; the workflows keep their own cache.</remarks>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is not a KMS key id; nothing was sent.</exception>
    public virtual Task<ImportParameters> GetParametersForImportAsync(string keyId, WrappingAlgorithm? wrappingAlgorithm = null, CancellationToken cancellationToken = default)
    {
        KeyImportArguments.ValidateKeyId(keyId, nameof(keyId));
        if (wrappingAlgorithm == default(WrappingAlgorithm))
        {
            throw new ArgumentException("The wrapping algorithm is an empty value; pass null for the default (RSAES_OAEP_SHA_256).", nameof(wrappingAlgorithm));
        }

        return CheckedParametersAsync(keyId, _transport.GetParametersForImportAsync(
            new GetParametersForImportRequest(keyId) { WrappingAlgorithm = wrappingAlgorithm ?? WrappingAlgorithm.RsaesOaepSha256 },
            cancellationToken));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException">The key id, token, material or sequence number is malformed; nothing was sent.</exception>
    /// <exception cref="KeyImportValidationException">The material expiry is not in the future; nothing was sent.</exception>
    public virtual Task ImportWrappedKeyMaterialAsync(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        KeyImportArguments.ValidateKeyId(request.KeyId, nameof(request));
        if (string.IsNullOrEmpty(request.ImportToken))
        {
            throw new ArgumentException("The import token is empty; pass the import_token from get-parameters-for-import.", nameof(request));
        }

        if (string.IsNullOrEmpty(request.EncryptedKeyMaterial))
        {
            throw new ArgumentException("The encrypted key material is empty; pass the Base64 of the material wrapped under the key's wrapping key.", nameof(request));
        }

        if (request.EncryptedPrivateKey is { Length: 0 })
        {
            throw new ArgumentException("The encrypted private key is an empty string; pass null for symmetric material.", nameof(request));
        }

        KeyImportArguments.ValidateSequence(request.Sequence, nameof(request));
        if (request.MaterialExpiresOn is { } expiresOn)
        {
            // Checked as sent, in whole seconds, like every other import path.
            _preflight.CheckExpiry(expiresOn, "Choose a later time, or null for material that never expires.");
        }

        return _transport.ImportKeyMaterialAsync(request, cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is not a KMS key id; nothing was sent.</exception>
    public virtual Task DeleteImportedKeyMaterialAsync(string keyId, CancellationToken cancellationToken = default)
    {
        KeyImportArguments.ValidateKeyId(keyId, nameof(keyId));
        return _transport.DeleteImportedKeyMaterialAsync(new DeleteImportedKeyMaterialRequest(keyId), cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentException"><paramref name="keyId"/> is not a KMS key id; nothing was sent.</exception>
    public virtual Task<KeyDetails> DescribeKeyAsync(string keyId, CancellationToken cancellationToken = default)
    {
        KeyImportArguments.ValidateKeyId(keyId, nameof(keyId));
        return _transport.DescribeKeyAsync(new DescribeKeyRequest(keyId), cancellationToken);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="material"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual async Task<KeyImportResult> ImportKeyMaterialAsync(string keyId, KeyMaterial material, ImportKeyMaterialOptions? options = null, CancellationToken cancellationToken = default)
    {
        KeyImportArguments.ValidateKeyId(keyId, nameof(keyId));
        ArgumentNullException.ThrowIfNull(material);
        options ??= s_defaultImportOptions;

        using Activity? activity = ImportTelemetry.StartActivity("ImportKeyMaterial", keyId, material.KeySpec);
        try
        {
            ImportPlan plan = _preflight.Prepare(keyId, material, options);

            // Two imports of one key through this client never race: the second waits, then finds the key Enabled.
            using KeyIdLocks.Releaser held = await _keyLocks.AcquireAsync(keyId, cancellationToken).ConfigureAwait(false);
            // A migration step's fresh answer stands in for describe-key, unless another import of the key was under way here.
            KeyDetails? described = DescribedKeyHint.Take(keyId);
            KeyDetails details = described is not null && !held.WasContended
                ? described
                : await _transport.DescribeKeyAsync(new DescribeKeyRequest(keyId), cancellationToken).ConfigureAwait(false);
            ImportPreflight.CheckKeyAcceptsImport(details, material);
            KeyImportResult result = await _attempts.RunAsync(plan, cancellationToken).ConfigureAwait(false);
            ImportTelemetry.RecordOutcome(activity, material.KeySpec, null);
            return result;
        }
        catch (Exception ex)
        {
            if (ex is KeyImportValidationException)
            {
                ClientLog.PreflightFailed(_logger, keyId, ex.Message);
            }

            ImportTelemetry.RecordOutcome(activity, material.KeySpec, ex);
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// The material, its spec against <see cref="CreateKeyRequest.KeySpec"/>, the expiry and the
    /// wrapping algorithm are checked before the key is created. If the call is cancelled after the
    /// key was created, the key is left pending import and the log names it.
    /// </remarks>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> or <paramref name="material"/> is null.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public virtual async Task<KeyImportResult> CreateKeyAndImportAsync(CreateKeyRequest request, KeyMaterial material, ImportKeyMaterialOptions? options = null, CancellationToken cancellationToken = default)
    {
        KeyImportArguments.ValidateCreateKey(request, nameof(request));
        ArgumentNullException.ThrowIfNull(material);
        options ??= s_defaultImportOptions;

        using Activity? activity = ImportTelemetry.StartActivity("CreateKeyAndImport", null, material.KeySpec);
        string? createdKeyId = null;
        try
        {
            if (request.Origin != KeyOrigin.External)
            {
                throw new KeyImportValidationException(
                    $"CreateKeyAndImportAsync imports material, so the key must be created with origin 'external'; the request asks for '{request.Origin}'. Leave CreateKeyRequest.Origin at its default, KeyOrigin.External.");
            }

            if (request.KeySpec != material.KeySpec)
            {
                throw new KeyImportValidationException(
                    $"The request creates a {request.KeySpec} key but the material is {material.KeySpec}. Set CreateKeyRequest.KeySpec to {material.KeySpec}, or load material for {request.KeySpec}.");
            }

            CheckKeystoreAcceptsImport(request);

            // Placeholder key id until the key exists; every check that needs no key runs now.
            ImportPlan plan = _preflight.Prepare(string.Empty, material, options);

            CreateKeyResult created = await CreateKeySettledAsync(request, cancellationToken).ConfigureAwait(false);
            createdKeyId = created.KeyId;
            using KeyIdLocks.Releaser held = await _keyLocks.AcquireAsync(createdKeyId, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("kms.key_id", createdKeyId);
            ClientLog.KeyCreated(_logger, createdKeyId, request.KeySpec);

            // A key just created with origin external and this spec is pending import: no describe-key.
            KeyImportResult result = await _attempts.RunAsync(plan with { KeyId = createdKeyId }, cancellationToken).ConfigureAwait(false);
            ImportTelemetry.RecordOutcome(activity, material.KeySpec, null);
            return result;
        }
        catch (Exception ex) when (createdKeyId is not null && ex is not (OperationCanceledException or ImportedMaterialMismatchException))
        {
            ClientLog.KeyLeftPendingImport(_logger, createdKeyId);
            ImportTelemetry.RecordOutcome(activity, material.KeySpec, ex);
            throw new KeyLeftPendingImportException(createdKeyId, ex);
        }
        catch (Exception ex)
        {
            if (createdKeyId is not null)
            {
                ClientLog.KeyLeftPendingImport(_logger, createdKeyId);
            }
            else if (ex is KeyImportValidationException)
            {
                ClientLog.PreflightFailed(_logger, request.KeyAlias, ex.Message);
            }

            ImportTelemetry.RecordOutcome(activity, material.KeySpec, ex);
            throw;
        }
    }

    /// <inheritdoc/>
    /// <remarks>
    /// <para>
    /// Bad items (a null item, a malformed key id, material that does not fit the key) become failed
    /// results; they do not end the batch. A batch that names one key id twice is refused before
    /// anything is sent: the enumeration throws <see cref="KeyImportValidationException"/>. The items
    /// are read once, before the first import starts.
    /// </para>
    /// <para>
    /// Cancelling <paramref name="cancellationToken"/> (or leaving the enumeration early) starts no
    /// further import and cancels those under way. The results of imports already under way are still
    /// yielded (an <see cref="OperationCanceledException"/> error when the cancellation reached it in
    /// time), then the enumeration throws <see cref="OperationCanceledException"/>.
    /// </para>
    /// </remarks>
    public virtual IAsyncEnumerable<BatchImportResult> ImportBatchAsync(IEnumerable<BatchImportItem> items, BatchImportOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(items);
        options ??= s_defaultBatchOptions;
        if (options.MaxConcurrency is < 1 or > BatchImportOptions.MaxConcurrencyLimit)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                options.MaxConcurrency,
                $"BatchImportOptions.MaxConcurrency must be between 1 and {BatchImportOptions.MaxConcurrencyLimit}; got {options.MaxConcurrency}. The default is {BatchImportOptions.DefaultMaxConcurrency}.");
        }

        return _batches.ImportAsync(items, options, cancellationToken);
    }
}
