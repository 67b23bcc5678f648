namespace KmsImport.Sdk;

/// <summary>
/// <see cref="KeyReimportExtensions.ReimportAsync"/> deleted a key's material to change its expiry,
/// then the import of the same material failed: the key is pending import, unusable until the same
/// material is imported into it again.
/// </summary>
public sealed class ReimportIncompleteException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="keyId">The key left pending import.</param>
    /// <param name="materialFingerprint">Lower-case hex SHA-256 of the material to import again.</param>
    /// <param name="innerException">Why the import failed.</param>
    public ReimportIncompleteException(string keyId, string materialFingerprint, Exception innerException)
        : base($"Key {keyId} is pending import: its material was deleted to change the expiry, but importing the same material (sha256:{materialFingerprint}) again failed. The key cannot be used until that material is imported into it; re-import it. Cause: {innerException?.Message}", innerException)
    {
        KeyId = keyId;
        MaterialFingerprint = materialFingerprint;
    }

    /// <summary>The key left pending import.</summary>
    public string KeyId { get; }

    /// <summary>Lower-case hex SHA-256 of the material to import again.</summary>
    public string MaterialFingerprint { get; }
}
