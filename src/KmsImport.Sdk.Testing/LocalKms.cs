using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using KmsImport.Sdk.Cryptography;
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
    private const int MaxDescriptionLength = 255;

    private readonly LocalKmsOptions _options;
    private readonly TimeProvider _timeProvider;
    private readonly ConcurrentDictionary<string, EmulatedKey> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, IssuedImportParameters> _issued = new(StringComparer.Ordinal);

    // Aliases are unique per emulator (the service: per account and region); KMS.1104 otherwise.
    private readonly ConcurrentDictionary<string, string> _aliases = new(StringComparer.Ordinal);
    private long _creationOrdinal;
    private readonly ImportTokenAuthority _tokens = new();
    private readonly WrappingKeyPool _wrappingKeys;
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
        _wrappingKeys = new WrappingKeyPool(options.WrappingKeySizeInBits, options.WrappingKeyPoolSize);
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

    /// <summary>
    /// Test inspection: the lower-case hex SHA-256 of the material the key holds now (symmetric
    /// bytes, or the PKCS#8 DER as unwrapped), equal to <see cref="KeyMaterial.ComputeFingerprint"/>
    /// of what was imported; null when the key holds no material.
    /// </summary>
    /// <param name="keyId">The key id.</param>
    /// <returns>The fingerprint, or null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyId"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The emulator has no such key.</exception>
    public string? GetImportedMaterialFingerprint(string keyId)
    {
        EmulatedKey key = GetKeyForInspection(keyId);
        lock (key)
        {
            ExpireMaterialIfDue(key);
            return key.Material is null ? null : key.Fingerprint;
        }
    }

    /// <summary>Test inspection: how many times material was successfully imported into the key.</summary>
    /// <param name="keyId">The key id.</param>
    /// <returns>The number of successful imports.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyId"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The emulator has no such key.</exception>
    public int GetImportCount(string keyId)
    {
        EmulatedKey key = GetKeyForInspection(keyId);
        lock (key)
        {
            return key.ImportCount;
        }
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

        foreach (IssuedImportParameters issued in _issued.Values)
        {
            issued.PrivateKey?.Dispose();
        }

        _issued.Clear();
        _tokens.Dispose();
        _wrappingKeys.Dispose();
    }

    internal static string NewRequestId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    internal CreateKeyResult CreateKey(CreateKeyRequest request, string requestId)
    {
        const string Operation = KmsOperations.CreateKey;
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (request.KeyAlias is null || !AliasPattern().IsMatch(request.KeyAlias))
        {
            throw InvalidParameter("key_alias must match ^[a-zA-Z0-9:/_-]{1,255}$", requestId, Operation);
        }

        if (request.KeyDescription is { Length: > MaxDescriptionLength })
        {
            throw InvalidParameter($"key_description must be at most {MaxDescriptionLength} characters; got {request.KeyDescription.Length}", requestId, Operation);
        }

        KeySpec spec = request.KeySpec == default ? KeySpec.Aes256 : request.KeySpec;
        if (!spec.IsSymmetric && !spec.IsAsymmetric)
        {
            throw InvalidParameter($"key_spec '{spec}' is not a known key spec", requestId, Operation);
        }

        KeyOrigin origin = request.Origin == default ? KeyOrigin.Kms : request.Origin;
        if (origin != KeyOrigin.Kms && origin != KeyOrigin.External)
        {
            throw InvalidParameter($"origin must be 'kms' or 'external'; got '{origin}'", requestId, Operation);
        }

        if (origin == KeyOrigin.External && RefuseKeySpec(spec) is { } specRefusal)
        {
            throw InvalidParameter(specRefusal, requestId, Operation);
        }

        if (origin == KeyOrigin.External && !spec.IsImportable)
        {
            throw InvalidParameter($"key_spec '{spec}' does not accept imported material; importable specs are AES_256, HMAC_256/384/512, RSA_2048/3072/4096, EC_P256 and EC_P384", requestId, Operation);
        }

        KeyUsage usage = request.KeyUsage ?? spec.DefaultUsage;
        if (usage != KeyUsage.EncryptDecrypt && usage != KeyUsage.SignVerify && usage != KeyUsage.GenerateVerifyMac)
        {
            throw InvalidParameter($"key_usage '{usage}' is not a known key usage", requestId, Operation);
        }

        ValidateSequence(request.Sequence, requestId, Operation);

        string keystoreId = string.IsNullOrEmpty(request.KeystoreId) ? DefaultKeystoreId : request.KeystoreId;
        if (origin == KeyOrigin.External && keystoreId != DefaultKeystoreId)
        {
            throw Error(400, KmsErrorCodes.CustomKeystoreNoImport, "The custom keystore does not support import key", requestId, Operation);
        }

        string keyId = Guid.NewGuid().ToString("D");
        if (!_aliases.TryAdd(request.KeyAlias, keyId))
        {
            throw Error(400, KmsErrorCodes.DuplicateAlias, "The key alias already exists.", requestId, Operation);
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
        WrappingAlgorithm algorithm = request.WrappingAlgorithm == default ? WrappingAlgorithm.RsaesOaepSha256 : request.WrappingAlgorithm;
        if (!algorithm.IsSupported)
        {
            throw InvalidParameter($"wrapping_algorithm '{algorithm}' is not supported here; use RSAES_OAEP_SHA_256 or RSAES_OAEP_SHA_1", requestId, Operation);
        }

        if (RefuseAlgorithm(algorithm) is { } algorithmRefusal)
        {
            throw InvalidParameter(algorithmRefusal, requestId, Operation);
        }

        lock (key)
        {
            ExpireMaterialIfDue(key);
            ThrowIfFrozen(key, requestId, Operation);
            if (key.Origin != KeyOrigin.External)
            {
                throw Error(400, KmsErrorCodes.ExternalKeyRequired, "the key's origin is not 'external'; only external keys accept imported material", requestId, Operation);
            }

            if (key.State != KeyState.PendingImport)
            {
                throw Error(400, KmsErrorCodes.KeyNotPendingImport, $"the key is in state {key.State.DisplayName}, not pending import", requestId, Operation);
            }
        }

        if (algorithm.IsSm2)
        {
            return IssueSm2ImportParameters(key.KeyId, algorithm);
        }

        RSA wrappingKey = _wrappingKeys.Next();
        try
        {
            return IssueImportParameters(key.KeyId, wrappingKey, algorithm);
        }
        catch
        {
            wrappingKey.Dispose();
            throw;
        }
    }

    /// <summary>Issues parameters for a given wrapping private key (which the emulator then owns); a test seam for known-answer vectors.</summary>
    internal ImportParameters IssueImportParameters(string keyId, RSA wrappingPrivateKey, WrappingAlgorithm algorithm)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        DateTimeOffset now = _timeProvider.GetUtcNow();
        long expires = (now + _options.ImportParametersLifetime).ToUnixTimeSeconds();
        PurgeExpiredParameters(now);

        string tokenId = ImportTokenAuthority.NewTokenId();
        string token = _tokens.Issue(tokenId, keyId, expires);
        _issued[tokenId] = new IssuedImportParameters(keyId, wrappingPrivateKey, algorithm, expires);
        return KmsImportModelFactory.ImportParameters(
            WrappingPublicKey.FromSubjectPublicKeyInfo(wrappingPrivateKey.ExportSubjectPublicKeyInfo()),
            keyId,
            algorithm,
            token,
            DateTimeOffset.FromUnixTimeSeconds(expires));
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
            DateTimeOffset now = _timeProvider.GetUtcNow();
            if (key.Origin != KeyOrigin.External)
            {
                throw Error(400, KmsErrorCodes.ExternalKeyRequired, "the key's origin is not 'external'; only external keys accept imported material", requestId, Operation);
            }

            if (!_tokens.TryVerify(request.ImportToken, out string tokenId, out string tokenKeyId, out long tokenExpires)
                || !_issued.TryGetValue(tokenId, out IssuedImportParameters? issued))
            {
                throw Error(400, KmsErrorCodes.ImportTokenInvalid, "the import token failed verification; fetch new import parameters", requestId, Operation);
            }

            if (!string.Equals(tokenKeyId, key.KeyId, StringComparison.Ordinal))
            {
                throw Error(400, KmsErrorCodes.ImportTokenKeyMismatch, "the import token was issued for another key", requestId, Operation);
            }

            if (now.ToUnixTimeSeconds() >= tokenExpires)
            {
                if (_issued.TryRemove(tokenId, out IssuedImportParameters? stale))
                {
                    stale.PrivateKey?.Dispose();
                }

                throw Error(400, KmsErrorCodes.ImportTokenExpired, "the import token has expired; fetch new import parameters and wrap again", requestId, Operation);
            }

            if (key.State != KeyState.PendingImport)
            {
                throw Error(400, KmsErrorCodes.KeyNotPendingImport, $"the key is in state {key.State.DisplayName}, not pending import", requestId, Operation);
            }

            if (request.MaterialExpiresOn is { } expiresOn)
            {
                if (key.KeySpec.IsAsymmetric)
                {
                    throw Error(400, KmsErrorCodes.ExpirationTimeInvalid, "asymmetric material is permanent; omit expiration_time", requestId, Operation);
                }

                if (expiresOn.ToUnixTimeSeconds() <= now.ToUnixTimeSeconds())
                {
                    throw Error(400, KmsErrorCodes.ExpirationTimeInvalid, "expiration_time must be in the future", requestId, Operation);
                }
            }

            if (key.KeySpec.IsAsymmetric && string.IsNullOrEmpty(request.EncryptedPrivateKey))
            {
                throw Error(400, KmsErrorCodes.PrivateKeyMissing, "an asymmetric key needs encrypted_privatekey", requestId, Operation);
            }

            byte[]? decrypted = null;
            byte[]? material = null;
            try
            {
                if (!TryFromBase64(request.EncryptedKeyMaterial, out byte[]? ciphertext)
                    || !TryDecryptMaterial(issued, ciphertext, out decrypted))
                {
                    throw DecryptionFailed(issued.Algorithm, requestId);
                }

                if (key.KeySpec.IsAsymmetric)
                {
                    if (decrypted!.Length is not (16 or 32))
                    {
                        throw Error(400, KmsErrorCodes.TemporaryKeyLengthInvalid, $"the temporary key must be 16 or 32 bytes; got {decrypted.Length}", requestId, Operation);
                    }

                    if (!TryFromBase64(request.EncryptedPrivateKey, out byte[]? wrappedPrivateKey)
                        || !TryUnwrapPrivateKeyMaterial(issued, key.KeySpec, decrypted, wrappedPrivateKey, out material))
                    {
                        throw Error(400, KmsErrorCodes.PrivateKeyInvalid, $"encrypted_privatekey is not an RFC 5649-wrapped unencrypted PKCS#8 {key.KeySpec} private key under the temporary key", requestId, Operation);
                    }
                }
                else
                {
                    if (decrypted!.Length != key.KeySpec.SymmetricMaterialLength)
                    {
                        throw Error(400, KmsErrorCodes.MaterialLengthInvalid, $"{key.KeySpec} material must be {key.KeySpec.SymmetricMaterialLength} bytes; got {decrypted.Length}", requestId, Operation);
                    }

                    material = decrypted;
                    decrypted = null;
                }

                string fingerprint = Convert.ToHexStringLower(SHA256.HashData(material!));
                if (key.Fingerprint is not null && !CryptographicOperations.FixedTimeEquals(Convert.FromHexString(fingerprint), Convert.FromHexString(key.Fingerprint)))
                {
                    throw Error(400, KmsErrorCodes.MaterialMismatch, "this key's material was deleted; only the same material can be imported again", requestId, Operation);
                }

                // Success: the token is consumed only now.
                if (_issued.TryRemove(tokenId, out IssuedImportParameters? consumed))
                {
                    consumed.PrivateKey?.Dispose();
                }

                key.ClearMaterial();
                key.Material = material;
                material = null;
                key.Fingerprint = fingerprint;
                key.MaterialExpiresOn = request.MaterialExpiresOn is { } at ? DateTimeOffset.FromUnixTimeSeconds(at.ToUnixTimeSeconds()) : null;
                key.State = KeyState.Enabled;
                key.ImportCount++;
            }
            finally
            {
                ZeroIfNotNull(decrypted);
                ZeroIfNotNull(material);
            }
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
                throw Error(400, KmsErrorCodes.ExternalKeyRequired, "the key's origin is not 'external'; only imported material can be deleted", requestId, Operation);
            }

            if (key.KeySpec.IsAsymmetric)
            {
                throw Error(400, KmsErrorCodes.PrivateKeyMaterialNotDeletable, "imported private key material is permanent and cannot be deleted", requestId, Operation);
            }

            if (key.State != KeyState.Enabled && key.State != KeyState.Disabled)
            {
                throw Error(400, KmsErrorCodes.MaterialNotDeletable, $"the key is in state {key.State.DisplayName}; only Enabled or Disabled material can be deleted", requestId, Operation);
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
            return Snapshot(key);
        }
    }

    // Called under the key's lock.
    private KeyDetails Snapshot(EmulatedKey key) => new()
    {
        KeyId = key.KeyId,
        DomainId = DomainId,
        KeyAlias = key.Alias,
        Realm = _options.Realm,
        KeySpec = key.KeySpec,
        KeyUsage = key.KeyUsage,
        KeyDescription = key.Description,
        CreationDate = key.CreationDate,
        ScheduledDeletionDate = null,
        KeyState = key.State,
        DefaultKeyFlag = false,
        KeyType = key.KeySpec.IsAsymmetric ? "2" : "1",
        MaterialExpiresOn = key.MaterialExpiresOn,
        Origin = key.Origin,
        KeyRotationEnabled = false,
        EnterpriseProjectId = key.EnterpriseProjectId,
        KeystoreId = key.KeystoreId,
    };

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
        if (keyId is null || !KeyIdPattern().IsMatch(keyId))
        {
            throw Error(400, KmsErrorCodes.InvalidKeyId, "key_id must be 36 characters: lower-case letters, digits and dashes (8-4-4-4-12)", requestId, operation);
        }

        return _keys.TryGetValue(keyId, out EmulatedKey? key)
            ? key
            : throw Error(404, KmsErrorCodes.KeyNotFound, "the key does not exist", requestId, operation);
    }

    private EmulatedKey GetKeyForInspection(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return _keys.TryGetValue(keyId, out EmulatedKey? key)
            ? key
            : throw new KeyNotFoundException($"The emulator has no key '{keyId}'.");
    }

    // Expired material is gone, lazily: the key returns to pending import and keeps the
    // fingerprint, so a re-import must bring the same material (KMS.2606).
    private void ExpireMaterialIfDue(EmulatedKey key)
    {
        if (key.Material is not null && key.MaterialExpiresOn is { } expiresOn && _timeProvider.GetUtcNow() >= expiresOn)
        {
            key.ClearMaterial();
            key.State = KeyState.PendingImport;
        }
    }

    private void PurgeExpiredParameters(DateTimeOffset now)
    {
        long nowSeconds = now.ToUnixTimeSeconds();
        foreach (KeyValuePair<string, IssuedImportParameters> entry in _issued)
        {
            // A grace period, so that an import racing with the expiry never sees a disposed key.
            if (entry.Value.ExpiresUnixSeconds + 3600 <= nowSeconds
                && _issued.TryRemove(entry.Key, out IssuedImportParameters? removed))
            {
                removed.PrivateKey?.Dispose();
            }
        }
    }

    private static void ValidateSequence(string? sequence, string requestId, string operation)
    {
        if (sequence is not null && sequence.Length != 36)
        {
            throw InvalidParameter($"sequence must be 36 characters; got {sequence.Length}", requestId, operation);
        }
    }

    private static bool TryFromBase64(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out byte[]? bytes)
    {
        bytes = null;
        if (string.IsNullOrEmpty(text) || text.Length % 4 != 0)
        {
            return false;
        }

        var buffer = new byte[text.Length / 4 * 3];
        if (!Convert.TryFromBase64String(text, buffer, out int written))
        {
            return false;
        }

        bytes = buffer.AsSpan(0, written).ToArray();
        CryptographicOperations.ZeroMemory(buffer);
        return true;
    }

    private static void ZeroIfNotNull(byte[]? buffer)
    {
        if (buffer is not null)
        {
            CryptographicOperations.ZeroMemory(buffer);
        }
    }

    private static KmsRequestFailedException DecryptionFailed(WrappingAlgorithm algorithm, string requestId) =>
        Error(400, KmsErrorCodes.DecryptionFailed, $"encrypted_key_material could not be decrypted with the wrapping private key ({algorithm})", requestId, KmsOperations.ImportKeyMaterial);

    private static KmsRequestFailedException InvalidParameter(string message, string requestId, string operation) =>
        Error(400, KmsOperations.InvalidParameterCode, message, requestId, operation);

    private static KmsRequestFailedException Error(int status, string code, string message, string requestId, string operation) =>
        new(status, code, message, requestId, operation);

    [GeneratedRegex("^[a-zA-Z0-9:/_-]{1,255}$", RegexOptions.CultureInvariant)]
    private static partial Regex AliasPattern();

    [GeneratedRegex("^[0-9a-z]{8}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{4}-[0-9a-z]{12}$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyIdPattern();

    private sealed class EmulatedKey(string keyId, string alias, KeySpec keySpec, KeyUsage keyUsage, string description, KeyOrigin origin, string enterpriseProjectId, DateTimeOffset creationDate)
    {
        public string KeyId { get; } = keyId;

        public string Alias { get; } = alias;

        public KeySpec KeySpec { get; } = keySpec;

        public KeyUsage KeyUsage { get; } = keyUsage;

        public string Description { get; } = description;

        public KeyOrigin Origin { get; } = origin;

        public string EnterpriseProjectId { get; } = enterpriseProjectId;

        public DateTimeOffset CreationDate { get; } = creationDate;

        public KeyState State { get; set; }

        // The plaintext (symmetric bytes or PKCS#8 DER); zeroed when replaced or removed.
        public byte[]? Material { get; set; }

        // SHA-256 of the current or last deleted material: the KMS.2606 check.
        public string? Fingerprint { get; set; }

        public DateTimeOffset? MaterialExpiresOn { get; set; }

        public int ImportCount { get; set; }

        public string KeystoreId { get; init; } = DefaultKeystoreId;

        // Creation order: the order list-keys returns keys in.
        public long Ordinal { get; init; }

        // The state before FreezeKey, restored by UnfreezeKey.
        public KeyState? StateBeforeFreeze { get; set; }

        public void ClearMaterial()
        {
            if (Material is not null)
            {
                CryptographicOperations.ZeroMemory(Material);
                Material = null;
            }

            MaterialExpiresOn = null;
        }
    }

    private sealed class IssuedImportParameters(string keyId, RSA? privateKey, WrappingAlgorithm algorithm, long expiresUnixSeconds)
    {
        public string KeyId { get; } = keyId;

        public RSA? PrivateKey { get; } = privateKey;

        public Org.BouncyCastle.Crypto.Parameters.ECPrivateKeyParameters? Sm2PrivateKey { get; init; }

        public WrappingAlgorithm Algorithm { get; } = algorithm;

        public long ExpiresUnixSeconds { get; } = expiresUnixSeconds;
    }
}
