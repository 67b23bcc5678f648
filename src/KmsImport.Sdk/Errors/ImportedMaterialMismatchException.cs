namespace KmsImport.Sdk;

/// <summary>
/// After an import, the key's public key (get-publickey) is not the public half of the private key
/// that was imported: the key holds other material. Nothing is retried.
/// </summary>
public sealed class ImportedMaterialMismatchException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="keyId">The key.</param>
    /// <param name="expectedPublicKeyFingerprint">SHA-256 of the public key of the material imported.</param>
    /// <param name="actualPublicKeyFingerprint">SHA-256 of the public key the service reports.</param>
    public ImportedMaterialMismatchException(string keyId, string expectedPublicKeyFingerprint, string actualPublicKeyFingerprint)
        : base($"Key {keyId} holds other material: its public key (sha256:{actualPublicKeyFingerprint}) is not the public key of the private key imported (sha256:{expectedPublicKeyFingerprint}). Do not use this key for the imported key's purpose; check which material was imported into it (an earlier import may have landed), and create a new key for this material.")
    {
        KeyId = keyId;
        ExpectedPublicKeyFingerprint = expectedPublicKeyFingerprint;
        ActualPublicKeyFingerprint = actualPublicKeyFingerprint;
    }

    /// <summary>The key.</summary>
    public string KeyId { get; }

    /// <summary>SHA-256 of the public key of the material imported.</summary>
    public string ExpectedPublicKeyFingerprint { get; }

    /// <summary>SHA-256 of the public key the service reports.</summary>
    public string ActualPublicKeyFingerprint { get; }
}
