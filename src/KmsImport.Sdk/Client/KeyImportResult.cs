namespace KmsImport.Sdk;

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
