namespace KmsImport.Sdk;

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
