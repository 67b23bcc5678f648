using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk;

/// <summary>Options for one import.</summary>
public sealed record ImportKeyMaterialOptions
{
    /// <summary>When symmetric material expires; <see cref="MaterialExpiry.Never"/> by default. Must be never for private keys.</summary>
    public MaterialExpiry Expiry { get; init; } = MaterialExpiry.Never;

    /// <summary>
    /// The wrapping algorithm; RSAES_OAEP_SHA_256 by default. SM4 and SM2 material needs <see cref="WrappingAlgorithm.Sm2Encrypt"/>;
    /// the legacy algorithms need <see cref="KeyImportClientOptions.AllowLegacyWrappingAlgorithms"/>.
    /// </summary>
    public WrappingAlgorithm WrappingAlgorithm { get; init; } = WrappingAlgorithm.RsaesOaepSha256;
}

/// <summary>The outcome of a successful import.</summary>
/// <remarks>Built by the client; in tests, by <see cref="KmsImportModelFactory.KeyImportResult"/>.</remarks>
public sealed record KeyImportResult
{
    private readonly ImportConfirmation? _confirmation;

    /// <summary>The key id.</summary>
    public required string KeyId { get; init; }

    /// <summary>The key's state after the import (Enabled).</summary>
    public required KeyState KeyState { get; init; }

    /// <summary>When the material expires; null for never.</summary>
    public DateTimeOffset? MaterialExpiresOn { get; init; }

    /// <summary>Lower-case hex SHA-256 of the plaintext material (symmetric bytes or PKCS#8 DER).</summary>
    public required string MaterialFingerprint { get; init; }

    /// <summary>
    /// How the import was confirmed: the service's answer, the key's public key equal to ours
    /// (asymmetric keys), or only the key's state after an unknown outcome. Defaults to the service's
    /// answer for <see cref="MaterialFingerprint"/>.
    /// </summary>
    public ImportConfirmation Confirmation
    {
        get => _confirmation ?? new() { Kind = ImportConfirmationKind.ServiceAccepted, MaterialFingerprint = MaterialFingerprint };
        init => _confirmation = value;
    }
}

/// <summary>One key of a batch import.</summary>
/// <param name="KeyId">The key id.</param>
/// <param name="Material">The plaintext material; the caller keeps ownership.</param>
public sealed record BatchImportItem(string KeyId, KeyMaterial Material)
{
    /// <summary>Options for this key; defaults when null.</summary>
    public ImportKeyMaterialOptions? Options { get; init; }
}

/// <summary>Options for a batch import.</summary>
public sealed record BatchImportOptions
{
    /// <summary>The default of <see cref="MaxConcurrency"/>.</summary>
    public const int DefaultMaxConcurrency = Contract.KmsContract.DefaultBatchConcurrency;

    /// <summary>The largest accepted <see cref="MaxConcurrency"/>.</summary>
    public const int MaxConcurrencyLimit = 256;

    /// <summary>How many imports run at once. <value>Default 8; 1 to 256.</value></summary>
    public int MaxConcurrency { get; init; } = DefaultMaxConcurrency;

    /// <summary>Told after each key completes (succeeded or failed); none when null. <value>Default null.</value></summary>
    public IProgress<BatchImportProgress>? Progress { get; init; }
}

/// <summary>Progress of a batch import, reported after each key completes.</summary>
/// <remarks>Built by the client; in tests, by <see cref="KmsImportModelFactory.BatchImportProgress"/>.</remarks>
public sealed record BatchImportProgress
{
    /// <summary>Keys completed so far (succeeded plus failed).</summary>
    public required int Completed { get; init; }

    /// <summary>Keys imported so far.</summary>
    public required int Succeeded { get; init; }

    /// <summary>Keys that failed so far.</summary>
    public required int Failed { get; init; }

    /// <summary>The number of items, when the sequence could tell it without being enumerated; otherwise null.</summary>
    public int? Total { get; init; }

    /// <summary>The key that just completed.</summary>
    public required string LastKeyId { get; init; }
}

/// <summary>The result for one key of a batch: a result or the exception that ended it.</summary>
/// <remarks>
/// <see cref="Error"/> is a <see cref="KeyImportValidationException"/> or <see cref="ArgumentException"/>
/// for bad input (nothing was sent), a <see cref="KmsRequestFailedException"/> when the service
/// refused the import, or an <see cref="OperationCanceledException"/> when the batch was cancelled
/// while this key's import was under way (describe the key to learn whether the import happened).
/// Built by the client; in tests, by <see cref="KmsImportModelFactory.BatchImportResult"/>.
/// </remarks>
public sealed record BatchImportResult
{
    /// <summary>The key id (empty when the item itself was null).</summary>
    public required string KeyId { get; init; }

    /// <summary>The import result, when it succeeded.</summary>
    public KeyImportResult? Result { get; init; }

    /// <summary>The failure, when it did not.</summary>
    public Exception? Error { get; init; }

    /// <summary>Whether the key was imported.</summary>
    public bool Succeeded => Error is null;
}

/// <summary>
/// A key was created by <see cref="IKeyImportClient.CreateKeyAndImportAsync"/> but the import failed
/// for good: the key is left in "pending import". <see cref="KeyId"/> names it so it can be retried
/// or scheduled for deletion.
/// </summary>
public sealed class KeyLeftPendingImportException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="keyId">The key left pending import.</param>
    /// <param name="innerException">Why the import failed.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyId"/> or <paramref name="innerException"/> is null.</exception>
    public KeyLeftPendingImportException(string keyId, Exception innerException)
        : base(FormatMessage(keyId, innerException), innerException)
    {
        KeyId = keyId;
    }

    /// <summary>The key left pending import.</summary>
    public string KeyId { get; }

    private static string FormatMessage(string keyId, Exception innerException)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        ArgumentNullException.ThrowIfNull(innerException);
        return innerException is KmsRequestFailedException { IsOutcomeUnknown: true }
            ? $"Key {keyId} was created but whether its material was imported is unknown (the last import attempt got no clear answer and describe-key did not settle it). Describe the key: Enabled means the import happened; PendingImport means import into it again or schedule it for deletion. Cause: {innerException.Message}"
            : $"Key {keyId} was created but its material was not imported; it is left pending import. Import into it again or schedule it for deletion. Cause: {innerException.Message}";
    }
}
