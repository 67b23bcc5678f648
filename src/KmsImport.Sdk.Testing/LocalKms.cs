using System.Collections.Concurrent;
using System.Security.Cryptography;
using KmsImport.Sdk.Testing.Emulation;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk.Testing;

/// <summary>
/// An in-process KMS that behaves like the service for key import: it creates keys, issues real
/// RSA wrapping keys and HMAC-bound import tokens, really unwraps imported material (RSA-OAEP,
/// RFC 5649, PKCS#8) and answers with the service's error codes. Use it as the
/// <see cref="IKmsTransport"/> of a <see cref="KeyImportClient"/> in tests, or serve it over HTTP
/// with <c>LocalKmsServer</c>.
/// </summary>
/// <remarks>
/// Thread-safe. Time (token and material expiry) comes from the injected <see cref="TimeProvider"/>;
/// expired material is removed lazily, when the key is next touched. Errors are
/// <see cref="KmsRequestFailedException"/> with the HTTP status, code and a request id the service
/// would give. Plaintext material held by the emulator is zeroed when it is deleted, expires or
/// the emulator is disposed. The inspection methods (<see cref="GetImportedMaterialFingerprint"/>,
/// <see cref="GetImportCount"/>) are for tests and are not reachable through the API.
/// </remarks>
public sealed partial class LocalKms : IKmsTransport, IDisposable
{
    private readonly LocalKmsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, EmulatedKey> _keys = new(StringComparer.Ordinal);

    // Aliases are unique per emulator (the service: per account and region); KMS.1104 otherwise.
    private readonly ConcurrentDictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private readonly ImportParametersIssuer _parameters;
    private readonly MaterialImporter _importer;
    private long _creationOrdinal;
    private bool _disposed;

    /// <summary>Creates an empty emulator.</summary>
    /// <param name="options">Wrapping key size, parameter lifetime, domain id; defaults when null.</param>
    /// <param name="timeProvider">The clock for token and material expiry; <see cref="TimeProvider.System"/> when null.</param>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range (wrapping key size not 2048/3072/4096, lifetime not positive).</exception>
    /// <exception cref="ArgumentException">The realm is empty.</exception>
    public LocalKms(LocalKmsOptions? options = null, TimeProvider? timeProvider = null)
    {
        options ??= new LocalKmsOptions();
        options.Validate();
        _options = new LocalKmsOptions
        {
            WrappingKeySizeInBits = options.WrappingKeySizeInBits,
            ImportParametersLifetime = options.ImportParametersLifetime,
            DomainId = options.DomainId ?? Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            Realm = options.Realm,
            Capabilities = options.Capabilities,
            WrappingKeyPoolSize = options.WrappingKeyPoolSize,
        };
        _timeProvider = timeProvider ?? TimeProvider.System;
        _parameters = new ImportParametersIssuer(options.WrappingKeySizeInBits, options.WrappingKeyPoolSize, options.ImportParametersLifetime, _timeProvider);
        _importer = new MaterialImporter(_parameters, _timeProvider);
    }

    /// <summary>The account (domain) id reported for every key.</summary>
    public string DomainId => _options.DomainId!;

    /// <summary>The number of keys created so far.</summary>
    public int KeyCount => _keys.Count;

    /// <summary>The clock the emulator judges expiry with.</summary>
    public TimeProvider TimeProvider => _timeProvider;

    /// <inheritdoc/>
    public Task<CreateKeyResult> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(() => CreateKey(request, NewRequestId()), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ImportParameters> GetParametersForImportAsync(GetParametersForImportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(() => GetParametersForImport(request, NewRequestId()), cancellationToken);
    }

    /// <inheritdoc/>
    public Task ImportKeyMaterialAsync(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(() => ImportKeyMaterial(request, NewRequestId()), cancellationToken);
    }

    /// <inheritdoc/>
    public Task DeleteImportedKeyMaterialAsync(DeleteImportedKeyMaterialRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(() => DeleteImportedKeyMaterial(request, NewRequestId()), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<ListKeysPage> ListKeysAsync(ListKeysRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(() => ListKeys(request, NewRequestId()), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<KmsPublicKey> GetPublicKeyAsync(GetPublicKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(() => KmsPublicKey.FromPem(request.KeyId, GetPublicKeyPem(request, NewRequestId())), cancellationToken);
    }

    /// <inheritdoc/>
    public Task<KeyDetails> DescribeKeyAsync(DescribeKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Run(() => DescribeKey(request, NewRequestId()), cancellationToken);
    }

    /// <summary>Zeroes all material the emulator holds and releases its wrapping keys.</summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        foreach (EmulatedKey key in _keys.Values)
        {
            lock (key)
            {
                key.ClearMaterial();
            }
        }

        _parameters.Dispose();
    }

    internal static string NewRequestId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    internal CreateKeyResult CreateKey(CreateKeyRequest request, string requestId)
    {
        const string Operation = KmsOperations.CreateKey;
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (request.KeyAlias is null || !EmulatorRules.AliasPattern().IsMatch(request.KeyAlias))
        {
            throw EmulatorErrors.InvalidParameter("key_alias must match ^[a-zA-Z0-9:/_-]{1,255}$", requestId, Operation);
        }

        if (request.KeyDescription is { Length: > EmulatorRules.MaxDescriptionLength })
        {
            throw EmulatorErrors.InvalidParameter($"key_description must be at most {EmulatorRules.MaxDescriptionLength} characters; got {request.KeyDescription.Length}", requestId, Operation);
        }

        KeySpec spec = request.KeySpec == default ? KeySpec.Aes256 : request.KeySpec;
        if (!spec.IsSymmetric && !spec.IsAsymmetric)
        {
            throw EmulatorErrors.InvalidParameter($"key_spec '{spec}' is not a known key spec", requestId, Operation);
        }

        KeyOrigin origin = request.Origin == default ? KeyOrigin.Kms : request.Origin;
        if (origin != KeyOrigin.Kms && origin != KeyOrigin.External)
        {
            throw EmulatorErrors.InvalidParameter($"origin must be 'kms' or 'external'; got '{origin}'", requestId, Operation);
        }

        if (origin == KeyOrigin.External && RefuseKeySpec(spec) is { } specRefusal)
        {
            throw EmulatorErrors.InvalidParameter(specRefusal, requestId, Operation);
        }

        if (origin == KeyOrigin.External && !spec.IsImportable)
        {
            throw EmulatorErrors.InvalidParameter($"key_spec '{spec}' does not accept imported material; importable specs are AES_256, HMAC_256/384/512, RSA_2048/3072/4096, EC_P256 and EC_P384", requestId, Operation);
        }

        KeyUsage usage = request.KeyUsage ?? spec.DefaultUsage;
        if (usage != KeyUsage.EncryptDecrypt && usage != KeyUsage.SignVerify && usage != KeyUsage.GenerateVerifyMac)
        {
            throw EmulatorErrors.InvalidParameter($"key_usage '{usage}' is not a known key usage", requestId, Operation);
        }

        ValidateSequence(request.Sequence, requestId, Operation);

        string keystoreId = string.IsNullOrEmpty(request.KeystoreId) ? DefaultKeystoreId : request.KeystoreId;
        if (origin == KeyOrigin.External && keystoreId != DefaultKeystoreId)
        {
            throw EmulatorErrors.Create(400, EmulatorErrorCodes.CustomKeystoreNoImport, "The custom keystore does not support import key", requestId, Operation);
        }

        string keyId = Guid.NewGuid().ToString("D");
        if (!_aliases.TryAdd(request.KeyAlias, keyId))
        {
            throw EmulatorErrors.Create(400, EmulatorErrorCodes.DuplicateAlias, "The key alias already exists.", requestId, Operation);
        }

        var key = new EmulatedKey(keyId, request.KeyAlias, spec, usage, request.KeyDescription ?? string.Empty, origin, request.EnterpriseProjectId ?? "0", _timeProvider.GetUtcNow())
        {
            State = origin == KeyOrigin.External ? KeyState.PendingImport : KeyState.Enabled,
            KeystoreId = keystoreId,
            Ordinal = Interlocked.Increment(ref _creationOrdinal),
        };
        _keys[keyId] = key;
        return KmsImportModelFactory.CreateKeyResult(keyId, DomainId);
    }

    internal ImportParameters GetParametersForImport(GetParametersForImportRequest request, string requestId)
    {
        const string Operation = KmsOperations.GetParametersForImport;
        EmulatedKey key = GetKey(request.KeyId, requestId, Operation);
        ValidateSequence(request.Sequence, requestId, Operation);
        WrappingAlgorithm algorithm = request.WrappingAlgorithm == default ? EmulatorRules.DefaultWrappingAlgorithm : request.WrappingAlgorithm;
        if (!EmulatorRules.Issues(algorithm))
        {
            throw EmulatorErrors.InvalidParameter($"wrapping_algorithm '{algorithm}' is not supported here; use RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1", requestId, Operation);
        }

        if (RefuseAlgorithm(algorithm) is { } algorithmRefusal)
        {
            throw EmulatorErrors.InvalidParameter(algorithmRefusal, requestId, Operation);
        }

        lock (key)
        {
            ExpireMaterialIfDue(key);
            ThrowIfFrozen(key, requestId, Operation);
            if (key.Origin != KeyOrigin.External)
            {
                throw EmulatorErrors.Create(400, EmulatorErrorCodes.ExternalKeyRequired, "the key's origin is not 'external'; only external keys accept imported material", requestId, Operation);
            }

            if (key.State != KeyState.PendingImport)
            {
                throw EmulatorErrors.Create(400, EmulatorErrorCodes.KeyNotPendingImport, $"the key is in state {key.State.DisplayName}, not pending import", requestId, Operation);
            }
        }

        ObjectDisposedException.ThrowIf(_disposed, this);
        return _parameters.Issue(key.KeyId, algorithm);
    }

    /// <summary>Issues parameters for a given wrapping private key (which the emulator then owns); a test seam for known-answer vectors.</summary>
    internal ImportParameters IssueImportParameters(string keyId, RSA wrappingPrivateKey, WrappingAlgorithm algorithm)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _parameters.Issue(keyId, wrappingPrivateKey, algorithm);
    }

    internal void ImportKeyMaterial(ImportKeyMaterialRequest request, string requestId)
    {
        const string Operation = KmsOperations.ImportKeyMaterial;
        EmulatedKey key = GetKey(request.KeyId, requestId, Operation);
        ValidateSequence(request.Sequence, requestId, Operation);

        lock (key)
        {
            ExpireMaterialIfDue(key);
            ThrowIfFrozen(key, requestId, Operation);
            _importer.Import(key, request, requestId);
        }
    }

    internal void DeleteImportedKeyMaterial(DeleteImportedKeyMaterialRequest request, string requestId)
    {
        const string Operation = KmsOperations.DeleteImportedKeyMaterial;
        EmulatedKey key = GetKey(request.KeyId, requestId, Operation);
        ValidateSequence(request.Sequence, requestId, Operation);
        lock (key)
        {
            ExpireMaterialIfDue(key);
            if (key.Origin != KeyOrigin.External)
            {
                throw EmulatorErrors.Create(400, EmulatorErrorCodes.ExternalKeyRequired, "the key's origin is not 'external'; only imported material can be deleted", requestId, Operation);
            }

            if (key.KeySpec.IsAsymmetric)
            {
                throw EmulatorErrors.Create(400, EmulatorErrorCodes.PrivateKeyMaterialNotDeletable, "imported private key material is permanent and cannot be deleted", requestId, Operation);
            }

            if (key.State != KeyState.Enabled && key.State != KeyState.Disabled)
            {
                throw EmulatorErrors.Create(400, EmulatorErrorCodes.MaterialNotDeletable, $"the key is in state {key.State.DisplayName}; only Enabled or Disabled material can be deleted", requestId, Operation);
            }

            key.ClearMaterial();
            key.State = KeyState.PendingImport;
        }
    }

    internal KeyDetails DescribeKey(DescribeKeyRequest request, string requestId)
    {
        const string Operation = KmsOperations.DescribeKey;
        EmulatedKey key = GetKey(request.KeyId, requestId, Operation);
        ValidateSequence(request.Sequence, requestId, Operation);
        lock (key)
        {
            ExpireMaterialIfDue(key);
            return key.ToDetails(DomainId, _options.Realm);
        }
    }

    private static Task<T> Run<T>(Func<T> operation, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return Task.FromCanceled<T>(cancellationToken);
        }

        try
        {
            return Task.FromResult(operation());
        }
        catch (Exception ex)
        {
            return Task.FromException<T>(ex);
        }
    }

    private static Task Run(Action operation, CancellationToken cancellationToken) =>
        Run(
            () =>
            {
                operation();
                return true;
            },
            cancellationToken);

    private EmulatedKey GetKey(string? keyId, string requestId, string operation)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (keyId is null || !EmulatorRules.KeyIdPattern().IsMatch(keyId))
        {
            throw EmulatorErrors.Create(400, EmulatorErrorCodes.InvalidKeyId, "key_id must be 36 characters: lower-case letters, digits and dashes (8-4-4-4-12)", requestId, operation);
        }

        return _keys.TryGetValue(keyId, out EmulatedKey? key)
            ? key
            : throw EmulatorErrors.Create(404, EmulatorErrorCodes.KeyNotFound, "the key does not exist", requestId, operation);
    }

    // Expired material is gone, lazily (see EmulatedKey.ExpireMaterialIfDue).
    private void ExpireMaterialIfDue(EmulatedKey key) => key.ExpireMaterialIfDue(_timeProvider.GetUtcNow());

    private static void ValidateSequence(string? sequence, string requestId, string operation)
    {
        if (sequence is not null && sequence.Length != EmulatorRules.SequenceLength)
        {
            throw EmulatorErrors.InvalidParameter($"sequence must be {EmulatorRules.SequenceLength} characters; got {sequence.Length}", requestId, operation);
        }
    }
}
