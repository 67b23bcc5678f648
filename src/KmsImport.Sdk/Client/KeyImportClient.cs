using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Runtime.ExceptionServices;
using System.Threading.Channels;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Diagnostics;
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

    // Parameters of keys whose import failed for good stay cached for a retry; past this many
    // entries, a fetch also drops the entries that are no longer usable.
    private const int ParametersCachePruneThreshold = 1024;

    private static readonly TimeSpan s_unknownOutcomeBaseDelay = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan s_importParametersLifetime = TimeSpan.FromHours(24);
    private static readonly ImportKeyMaterialOptions s_defaultImportOptions = new();
    private static readonly BatchImportOptions s_defaultBatchOptions = new();

    private readonly IKmsTransport _transport;
    private readonly IKeyMaterialWrapper _wrapper;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly TimeSpan _parametersSafetyMargin;
    private readonly KmsCapabilities _capabilities = KmsCapabilities.Unrestricted;
    private readonly bool _allowLegacyWrappingAlgorithms;
    private readonly ConcurrentDictionary<ParametersCacheKey, ImportParameters> _parametersCache = new();
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
        if (margin < TimeSpan.Zero || margin >= s_importParametersLifetime)
        {
            throw new ArgumentOutOfRangeException(
                nameof(options),
                margin,
                $"ImportParametersSafetyMargin must be at least zero and shorter than the 24-hour lifetime of import parameters; got {margin}. The default is 5 minutes.");
        }

        _transport = transport;
        _parametersSafetyMargin = margin;
        _capabilities = options.Capabilities ?? KmsCapabilities.For(options.Cloud, options.Region);
        _allowLegacyWrappingAlgorithms = options.AllowLegacyWrappingAlgorithms;
        // The opt-in reaches the SDK's own wrapper (KeyMaterialWrapper.Shared refuses legacy algorithms).
        _wrapper = (wrapper is null || ReferenceEquals(wrapper, KeyMaterialWrapper.Shared)) && options.AllowLegacyWrappingAlgorithms
            ? KeyMaterialWrapper.SharedAllowingLegacy
            : wrapper ?? KeyMaterialWrapper.Shared;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = (ILogger?)logger ?? NullLogger.Instance;
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
            DateTimeOffset now = _timeProvider.GetUtcNow();
            if (expiresOn <= now)
            {
                throw new KeyImportValidationException(
                    $"The material expiry {expiresOn:O} is not in the future (now {now:O}); the service would refuse it ({KmsErrorCodes.ExpirationTimeInvalid}). Choose a later time, or null for material that never expires.");
            }
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

        using Activity? activity = StartActivity("ImportKeyMaterial", keyId, material.KeySpec);
        try
        {
            ImportPlan plan = PrepareImport(keyId, material, options);

            // Two imports of one key through this client never race: the second waits, then finds the key Enabled.
            using KeyIdLocks.Releaser held = await _keyLocks.AcquireAsync(keyId, cancellationToken).ConfigureAwait(false);
            KeyDetails details = await _transport.DescribeKeyAsync(new DescribeKeyRequest(keyId), cancellationToken).ConfigureAwait(false);
            CheckKeyAcceptsImport(details, material);
            KeyImportResult result = await ImportPreparedAsync(plan, cancellationToken).ConfigureAwait(false);
            RecordOutcome(activity, material.KeySpec, null);
            return result;
        }
        catch (Exception ex)
        {
            if (ex is KeyImportValidationException)
            {
                Log.PreflightFailed(_logger, keyId, ex.Message);
            }

            RecordOutcome(activity, material.KeySpec, ex);
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

        using Activity? activity = StartActivity("CreateKeyAndImport", null, material.KeySpec);
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
            ImportPlan plan = PrepareImport(string.Empty, material, options);

            CreateKeyResult created = await CreateKeySettledAsync(request, cancellationToken).ConfigureAwait(false);
            createdKeyId = created.KeyId;
            using KeyIdLocks.Releaser held = await _keyLocks.AcquireAsync(createdKeyId, cancellationToken).ConfigureAwait(false);
            activity?.SetTag("kms.key_id", createdKeyId);
            Log.KeyCreated(_logger, createdKeyId, request.KeySpec);

            // A key just created with origin external and this spec is pending import: no describe-key.
            KeyImportResult result = await ImportPreparedAsync(plan with { KeyId = createdKeyId }, cancellationToken).ConfigureAwait(false);
            RecordOutcome(activity, material.KeySpec, null);
            return result;
        }
        catch (Exception ex) when (createdKeyId is not null && ex is not (OperationCanceledException or ImportedMaterialMismatchException))
        {
            Log.KeyLeftPendingImport(_logger, createdKeyId);
            RecordOutcome(activity, material.KeySpec, ex);
            throw new KeyLeftPendingImportException(createdKeyId, ex);
        }
        catch (Exception ex)
        {
            if (createdKeyId is not null)
            {
                Log.KeyLeftPendingImport(_logger, createdKeyId);
            }
            else if (ex is KeyImportValidationException)
            {
                Log.PreflightFailed(_logger, request.KeyAlias, ex.Message);
            }

            RecordOutcome(activity, material.KeySpec, ex);
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

        return ImportBatchCoreAsync(items, options, cancellationToken);
    }

    private static bool IsTokenRefused(KmsRequestFailedException exception) =>
        exception.ErrorCode is KmsErrorCodes.ImportTokenExpired or KmsErrorCodes.ImportTokenInvalid;

    // Errors after which the cached parameters must not be used again.
    private static bool IsParametersProblem(KmsRequestFailedException exception) =>
        IsTokenRefused(exception) || exception.ErrorCode is KmsErrorCodes.ImportTokenKeyMismatch or KmsErrorCodes.DecryptionFailed;

    private static Activity? StartActivity(string name, string? keyId, KeySpec keySpec)
    {
        Activity? activity = KmsImportDiagnostics.ActivitySource.StartActivity("KeyImportClient." + name, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("kms.key_spec", keySpec.ToString());
            if (keyId is not null)
            {
                activity.SetTag("kms.key_id", keyId);
            }
        }

        return activity;
    }

    private static void RecordOutcome(Activity? activity, KeySpec keySpec, Exception? error)
    {
        string outcome = error switch
        {
            null => "succeeded",
            KeyImportValidationException or ArgumentException => "invalid",
            OperationCanceledException => "cancelled",
            _ => "failed",
        };
        KmsImportDiagnostics.Imports.Add(
            1,
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("key_spec", keySpec.ToString()));
        if (activity is not null)
        {
            activity.SetTag("outcome", outcome);
            if (error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
            }
        }
    }

    // Every check that needs no request: the spec is importable, the algorithm is supported, the
    // expiry fits the material and lies in the future. Resolves the expiry once, so that every
    // attempt sends the same value.
    private ImportPlan PrepareImport(string keyId, KeyMaterial material, ImportKeyMaterialOptions options)
    {
        KeySpec spec = material.KeySpec;
        ImportRules.ThrowIfNotImportable(spec);

        WrappingAlgorithm algorithm = options.WrappingAlgorithm;
        if (!algorithm.IsSupported)
        {
            throw new KeyImportValidationException(DescribeUnsupportedAlgorithm(algorithm));
        }

        CheckCapabilities(material, algorithm);

        DateTimeOffset? expiresOn = null;
        if (!options.Expiry.IsNever)
        {
            if (material.IsPrivateKey || !spec.IsSymmetric)
            {
                throw new KeyImportValidationException(
                    $"{spec} material cannot expire: the service keeps imported private keys permanently. Use MaterialExpiry.Never (the default) for asymmetric keys.");
            }

            DateTimeOffset now = _timeProvider.GetUtcNow();
            DateTimeOffset requested = options.Expiry.ResolveExpiresOn(_timeProvider)!.Value;

            // The service takes whole epoch seconds; check and report the value actually sent.
            DateTimeOffset sent = DateTimeOffset.FromUnixTimeSeconds(requested.ToUnixTimeSeconds());
            if (sent <= now)
            {
                throw new KeyImportValidationException(
                    $"The material expiry {requested:O} is not in the future (now {now:O}); the service would refuse it ({KmsErrorCodes.ExpirationTimeInvalid}). Choose a later time, MaterialExpiry.After(duration), or MaterialExpiry.Never.");
            }

            expiresOn = sent;
        }

        // Our public key, for the confirmation, while the material is surely still ours to read.
        byte[]? publicKey = material.IsPrivateKey ? PublicKeyEncoding.SubjectPublicKeyInfoOf(material) : null;
        return new ImportPlan(keyId, material, algorithm, expiresOn, material.ComputeFingerprint(), publicKey);
    }

    private static string DescribeUnsupportedAlgorithm(WrappingAlgorithm algorithm)
    {
        if (algorithm == default(WrappingAlgorithm))
        {
            return "The wrapping algorithm is not set. Use RSAES_OAEP_SHA_256 (the default), or SM2_ENCRYPT for SM4 and SM2 material.";
        }

        try
        {
            // The algorithm type explains why it refuses a known value (e.g. PKCS#1 v1.5's padding oracle).
            _ = algorithm.Padding;
        }
        catch (NotSupportedException ex)
        {
            return ex.Message;
        }

        return $"The wrapping algorithm '{algorithm}' is not supported by this SDK. Use RSAES_OAEP_SHA_256 (the default), or SM2_ENCRYPT for SM4 and SM2 material.";
    }

    // Pre-flight checks that need describe-key, in the order the service would refuse the import.
    private static void CheckKeyAcceptsImport(KeyDetails details, KeyMaterial material)
    {
        string keyId = details.KeyId;
        if (details.KeyState == KeyState.Frozen)
        {
            throw new KeyImportValidationException(
                $"Key {keyId} is Frozen (key_state 7): the KMS service is frozen for this account, usually for arrears or an expired subscription, and refuses imports ({KmsErrorCodes.ResourceFrozen}). Renew the service in the console, then import again.");
        }

        if (details.KeystoreId is { Length: > 0 } keystore && keystore != "0")
        {
            throw new KeyImportValidationException(
                $"Key {keyId} lives in the custom keystore '{keystore}': keys in a custom keystore cannot take imported material ({KmsErrorCodes.CustomKeystoreNoImport}). Create a key in the default keystore (leave CreateKeyRequest.KeystoreId null) and import into that one.");
        }

        if (details.Origin is { } origin && origin != KeyOrigin.External)
        {
            throw new KeyImportValidationException(
                $"Key {keyId} has origin '{origin}': only keys created with origin 'external' accept imported material (the service would answer {KmsErrorCodes.ExternalKeyRequired}). Create a key with CreateKeyRequest.Origin = KeyOrigin.External and import into that one.");
        }

        KeyState state = details.KeyState;
        if (state == KeyState.Enabled)
        {
            throw new KeyImportValidationException(
                $"Key {keyId} is Enabled: it already has key material, so nothing was imported. Import into a key that is PendingImport; for a symmetric key you may delete its imported material first and re-import the same material.");
        }

        if (state != KeyState.PendingImport)
        {
            string hint = state == KeyState.Disabled ? " A disabled key already has material; enable it instead."
                : state == KeyState.PendingDeletion ? " The key is scheduled for deletion; cancel the deletion first if you still need it."
                : string.Empty;
            throw new KeyImportValidationException(
                $"Key {keyId} is {state.DisplayName} (key_state {state}): material can only be imported into a key that is PendingImport (key_state 5).{hint}");
        }

        if (details.KeySpec is { } keySpec && keySpec != material.KeySpec)
        {
            throw new KeyImportValidationException(
                $"The material is for {material.KeySpec} but key {keyId} is {keySpec}. Load material that matches the key's spec, or create a key with KeySpec = {material.KeySpec}.");
        }
    }

    // Parameters (cached), wrap, import; refreshes a refused token once and resolves an unknown
    // outcome with describe-key. The pre-flight checks have passed.
    private async Task<KeyImportResult> ImportPreparedAsync(ImportPlan plan, CancellationToken cancellationToken)
    {
        var importSent = new StrongBox<bool>();
        try
        {
            return await ImportAttemptsAsync(plan, importSent, cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException ex)
        {
            throw ImportRules.Cancelled(plan.KeyId, importSent.Value, ex);
        }
    }

    private async Task<KeyImportResult> ImportAttemptsAsync(ImportPlan plan, StrongBox<bool> importSent, CancellationToken cancellationToken)
    {
        Log.ImportStarting(_logger, plan.KeyId, plan.Material.KeySpec, plan.Algorithm, plan.ExpiresOn?.ToString("O", CultureInfo.InvariantCulture) ?? "never");
        bool tokenRefreshed = false;
        bool earlierOutcomeUnknown = false;
        int unknownOutcomes = 0;
        for (int attempt = 1; ; attempt++)
        {
            ImportParameters? parameters = null;
            KmsRequestFailedException? failure = null;
            try
            {
                parameters = await GetCachedParametersAsync(plan.KeyId, plan.Algorithm, cancellationToken).ConfigureAwait(false);
                WrappedKeyMaterial wrapped = _wrapper.Wrap(plan.Material, parameters.WrappingKey, plan.Algorithm);
                var request = new ImportKeyMaterialRequest(plan.KeyId, parameters.ImportToken, wrapped.EncryptedKeyMaterialBase64)
                {
                    // Only private keys carry encrypted_privatekey; never send it empty for symmetric material.
                    EncryptedPrivateKey = plan.Material.IsPrivateKey ? wrapped.EncryptedPrivateKeyBase64 : null,
                    MaterialExpiresOn = plan.ExpiresOn,
                };

                Log.ImportAttempt(_logger, plan.KeyId, attempt);
                importSent.Value = true;
                await _transport.ImportKeyMaterialAsync(request, cancellationToken).ConfigureAwait(false);
            }
            catch (KmsRequestFailedException ex)
            {
                failure = ex;
            }

            if (failure is null)
            {
                // The token is single-use: a successful import spends it.
                EvictParameters(plan, parameters!);
                return await ConfirmAsync(plan, null, attempt, cancellationToken).ConfigureAwait(false);
            }

            if (failure.IsOutcomeUnknown && parameters is not null)
            {
                unknownOutcomes++;
                Log.ImportOutcomeUnknown(_logger, plan.KeyId, attempt, failure.Status, failure.RequestId);
                KeyDetails? details = await TryDescribeAsync(plan.KeyId, cancellationToken).ConfigureAwait(false);
                if (details?.KeyState == KeyState.Enabled)
                {
                    // It happened: the token is spent.
                    EvictParameters(plan, parameters);
                    Log.ImportConfirmedByDescribe(_logger, plan.KeyId, details.KeyState.DisplayName, attempt);
                    return await ConfirmAsync(plan, details, attempt, cancellationToken).ConfigureAwait(false);
                }

                if (details?.KeyState == KeyState.PendingImport && unknownOutcomes < MaxImportAttempts)
                {
                    // It did not happen: the token is unspent and the same parameters are used again.
                    earlierOutcomeUnknown = true;
                    TimeSpan delay = s_unknownOutcomeBaseDelay * (1 << (unknownOutcomes - 1));
                    Log.ImportRetryScheduled(_logger, plan.KeyId, details.KeyState.DisplayName, attempt, delay);
                    await Task.Delay(delay, _timeProvider, cancellationToken).ConfigureAwait(false);
                    continue;
                }
            }
            else if (earlierOutcomeUnknown)
            {
                // An earlier attempt whose outcome was unknown may have been processed after all (late),
                // which refuses this one: not pending import (KMS.0310), token already spent (KMS.2605),
                // or no parameters for an Enabled key. The key's state settles it.
                Log.ImportRefusedAfterUnknownOutcome(_logger, plan.KeyId, attempt, failure.ErrorCode);
                KeyDetails? details = await TryDescribeAsync(plan.KeyId, cancellationToken).ConfigureAwait(false);
                if (details?.KeyState == KeyState.Enabled)
                {
                    if (parameters is not null)
                    {
                        EvictParameters(plan, parameters);
                    }

                    Log.ImportConfirmedByDescribe(_logger, plan.KeyId, details.KeyState.DisplayName, attempt);
                    return await ConfirmAsync(plan, details, attempt, cancellationToken).ConfigureAwait(false);
                }
            }

            if (parameters is not null && IsTokenRefused(failure) && !tokenRefreshed)
            {
                tokenRefreshed = true;
                EvictParameters(plan, parameters);
                Log.ImportTokenRefused(_logger, plan.KeyId, failure.ErrorCode, failure.RequestId);
                continue;
            }

            if (parameters is not null && IsParametersProblem(failure))
            {
                EvictParameters(plan, parameters);
            }

            Log.ImportFailed(_logger, plan.KeyId, attempt, failure.Status, failure.ErrorCode, failure.RequestId);
            if (earlierOutcomeUnknown && !failure.IsOutcomeUnknown)
            {
                // A definite refusal now does not make the import a failure: the earlier attempt may
                // still have landed, and describe-key could not tell. Report the outcome as unknown.
                throw KmsRequestFailedException.ClientComposed(
                    0,
                    null,
                    $"an earlier attempt's outcome is unknown and describe-key could not settle it (the last attempt was refused with {failure.ErrorCode ?? $"HTTP {failure.Status}"}); describe key {plan.KeyId} before importing again",
                    failure.RequestId,
                    "import-key-material",
                    failure);
            }

            ExceptionDispatchInfo.Throw(failure);
        }
    }

    // describe-key to resolve an import's outcome; null when it fails too, so the caller reports
    // the import's own error.
    private async Task<KeyDetails?> TryDescribeAsync(string keyId, CancellationToken cancellationToken)
    {
        try
        {
            return await _transport.DescribeKeyAsync(new DescribeKeyRequest(keyId), cancellationToken).ConfigureAwait(false);
        }
        catch (KmsRequestFailedException ex)
        {
            Log.ImportResolutionFailed(_logger, keyId, ex.Status, ex.ErrorCode);
            return null;
        }
    }

    private async Task<ImportParameters> GetCachedParametersAsync(string keyId, WrappingAlgorithm algorithm, CancellationToken cancellationToken)
    {
        var cacheKey = new ParametersCacheKey(keyId, algorithm);
        if (_parametersCache.TryGetValue(cacheKey, out ImportParameters? cached))
        {
            if (cached.IsValid(_timeProvider, _parametersSafetyMargin))
            {
                Log.ImportParametersReused(_logger, keyId, algorithm, cached.ExpiresOn);
                return cached;
            }

            _parametersCache.TryRemove(new KeyValuePair<ParametersCacheKey, ImportParameters>(cacheKey, cached));
        }

        ImportParameters fresh = await CheckedParametersAsync(keyId, _transport.GetParametersForImportAsync(
            new GetParametersForImportRequest(keyId) { WrappingAlgorithm = algorithm },
            cancellationToken)).ConfigureAwait(false);
        if (fresh.IsValid(_timeProvider, _parametersSafetyMargin))
        {
            _parametersCache[cacheKey] = fresh;
            Log.ImportParametersFetched(_logger, keyId, algorithm, fresh.ExpiresOn);
            PruneParametersCache();
        }
        else
        {
            Log.ImportParametersShortLived(_logger, keyId, fresh.ExpiresOn, _parametersSafetyMargin);
        }

        return fresh;
    }

    // Removes the entry only if it still holds these parameters, not newer ones fetched meanwhile.
    private void EvictParameters(ImportPlan plan, ImportParameters parameters) =>
        _parametersCache.TryRemove(new KeyValuePair<ParametersCacheKey, ImportParameters>(new ParametersCacheKey(plan.KeyId, plan.Algorithm), parameters));

    private void PruneParametersCache()
    {
        if (_parametersCache.Count <= ParametersCachePruneThreshold)
        {
            return;
        }

        foreach (KeyValuePair<ParametersCacheKey, ImportParameters> entry in _parametersCache)
        {
            if (!entry.Value.IsValid(_timeProvider, _parametersSafetyMargin))
            {
                _parametersCache.TryRemove(entry);
            }
        }
    }

    private async IAsyncEnumerable<BatchImportResult> ImportBatchCoreAsync(IEnumerable<BatchImportItem> items, BatchImportOptions options, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        Channel<BatchImportResult> results = Channel.CreateUnbounded<BatchImportResult>(new UnboundedChannelOptions { SingleReader = true });
        using var batchCancellation = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        Task producer = RunBatchAsync(items, options, results.Writer, batchCancellation.Token);
        bool drained = false;
        try
        {
            // The producer completes the channel once every started import has reported.
            await foreach (BatchImportResult result in results.Reader.ReadAllAsync(CancellationToken.None).ConfigureAwait(false))
            {
                yield return result;
            }

            drained = true;
        }
        finally
        {
            if (!drained)
            {
                // The consumer left early: start nothing more, cancel what runs, and wait for it so
                // no import outlives the enumeration.
                await batchCancellation.CancelAsync().ConfigureAwait(false);
                await producer.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
            }
        }

        // Surfaces a failure of the items sequence itself, then the caller's cancellation.
        await producer.ConfigureAwait(false);
        cancellationToken.ThrowIfCancellationRequested();
    }

    private async Task RunBatchAsync(IEnumerable<BatchImportItem> items, BatchImportOptions options, ChannelWriter<BatchImportResult> writer, CancellationToken cancellationToken)
    {
        int? total = items.TryGetNonEnumeratedCount(out int count) ? count : null;
        List<BatchImportItem?> list;
        try
        {
            // A key id named twice is refused before anything is sent: the items are read once, here.
            list = [.. items];
            CheckNoDuplicateKeyIds(list);
        }
        catch
        {
            writer.TryComplete();
            throw;
        }

        var tracker = new BatchProgressTracker(options.Progress, total);
        using var slots = new SemaphoreSlim(options.MaxConcurrency, options.MaxConcurrency);
        var running = new List<Task>();
        try
        {
            foreach (BatchImportItem? item in list)
            {
                try
                {
                    await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
                {
                    // Stop starting imports; those under way report and the caller sees the cancellation.
                    break;
                }

                // A slot freed by a cancelled import must not start another one.
                if (cancellationToken.IsCancellationRequested)
                {
                    slots.Release();
                    break;
                }

                if (item is null)
                {
                    slots.Release();
                    Report(KmsImportModelFactory.BatchImportResult(string.Empty, null, new ArgumentNullException(nameof(items), "The batch contains a null item.")));
                    continue;
                }

                // Task.Run: the loop goes on starting imports while this one wraps (CPU) or waits.
                running.Add(Task.Run(() => ImportBatchItemAsync(item, slots, Report, cancellationToken), CancellationToken.None));
                running.RemoveAll(static task => task.IsCompleted);
            }
        }
        finally
        {
            // The item tasks never throw; wait for every started import before closing the channel.
            await Task.WhenAll(running).ConfigureAwait(false);
            writer.TryComplete();
            (int succeeded, int failed) = tracker.Counts;
            Log.BatchFinished(_logger, succeeded, failed, cancellationToken.IsCancellationRequested);
        }

        void Report(BatchImportResult result)
        {
            if (!result.Succeeded)
            {
                Log.BatchItemFailed(_logger, result.KeyId, result.Error!.GetType().Name);
            }

            writer.TryWrite(result);
            tracker.Report(result);
        }
    }

    private async Task ImportBatchItemAsync(BatchImportItem item, SemaphoreSlim slots, Action<BatchImportResult> report, CancellationToken cancellationToken)
    {
        try
        {
            BatchImportResult result;
            try
            {
                KeyImportResult imported = await ImportKeyMaterialAsync(item.KeyId, item.Material, item.Options, cancellationToken).ConfigureAwait(false);
                result = KmsImportModelFactory.BatchImportResult(item.KeyId, imported, null);
            }
            catch (Exception ex)
            {
                // One key's failure (bad input, refusal, cancellation) is its result, not the batch's end.
                result = KmsImportModelFactory.BatchImportResult(item.KeyId ?? string.Empty, null, ex);
            }

            report(result);
        }
        finally
        {
            slots.Release();
        }
    }

    private readonly record struct ParametersCacheKey(string KeyId, WrappingAlgorithm Algorithm);

    private readonly record struct ImportPlan(string KeyId, KeyMaterial Material, WrappingAlgorithm Algorithm, DateTimeOffset? ExpiresOn, string Fingerprint, byte[]? SubjectPublicKeyInfo);

    // Counts under a lock so that each report is a consistent snapshot.
    private sealed class BatchProgressTracker(IProgress<BatchImportProgress>? progress, int? total)
    {
        private readonly Lock _lock = new();
        private int _succeeded;
        private int _failed;

        public (int Succeeded, int Failed) Counts
        {
            get
            {
                lock (_lock)
                {
                    return (_succeeded, _failed);
                }
            }
        }

        public void Report(BatchImportResult result)
        {
            BatchImportProgress snapshot;
            lock (_lock)
            {
                if (result.Succeeded)
                {
                    _succeeded++;
                }
                else
                {
                    _failed++;
                }

                snapshot = KmsImportModelFactory.BatchImportProgress(_succeeded + _failed, _succeeded, _failed, total, result.KeyId);
            }

            progress?.Report(snapshot);
        }
    }
}
