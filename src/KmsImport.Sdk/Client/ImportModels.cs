using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk;

/// <summary>Options for one import.</summary>
public sealed record ImportKeyMaterialOptions
{
    /// <summary>When symmetric material expires; <see cref="MaterialExpiry.Never"/> by default. Must be never for private keys.</summary>
    public MaterialExpiry Expiry { get; init; } = MaterialExpiry.Never;

    /// <summary>The wrapping algorithm; RSAES_OAEP_SHA_256 by default.</summary>
    public WrappingAlgorithm WrappingAlgorithm { get; init; } = WrappingAlgorithm.RsaesOaepSha256;
}

/// <summary>The outcome of a successful import.</summary>
/// <param name="KeyId">The key id.</param>
/// <param name="KeyState">The key's state after the import (Enabled).</param>
/// <param name="MaterialExpiresOn">When the material expires; null for never.</param>
/// <param name="MaterialFingerprint">Lower-case hex SHA-256 of the plaintext material (symmetric bytes or PKCS#8 DER).</param>
public sealed record KeyImportResult(string KeyId, KeyState KeyState, DateTimeOffset? MaterialExpiresOn, string MaterialFingerprint);

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
    /// <summary>How many imports run at once. <value>Default 8; 1 to 256.</value></summary>
    public int MaxConcurrency { get; init; } = 8;
}

/// <summary>The result for one key of a batch: a result or the exception that ended it.</summary>
/// <param name="KeyId">The key id.</param>
/// <param name="Result">The import result, when it succeeded.</param>
/// <param name="Error">The failure, when it did not.</param>
public sealed record BatchImportResult(string KeyId, KeyImportResult? Result, Exception? Error)
{
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
    public KeyLeftPendingImportException(string keyId, Exception innerException)
        : base($"Key {keyId} was created but its material was not imported; it is left pending import. Import into it again or schedule it for deletion. Cause: {innerException?.Message}", innerException)
    {
        KeyId = keyId;
    }

    /// <summary>The key left pending import.</summary>
    public string KeyId { get; }
}
