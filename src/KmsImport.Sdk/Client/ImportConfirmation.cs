namespace KmsImport.Sdk;

/// <summary>How an import was confirmed, with the fingerprint of the material it is about.</summary>
public sealed class ImportConfirmation
{
    /// <summary>How the import was confirmed.</summary>
    public required ImportConfirmationKind Kind { get; init; }

    /// <summary>Lower-case hex SHA-256 of the plaintext material imported (symmetric bytes or PKCS#8 DER).</summary>
    public required string MaterialFingerprint { get; init; }

    /// <summary>Lower-case hex SHA-256 of the key's public key (DER SubjectPublicKeyInfo) when <see cref="Kind"/> is <see cref="ImportConfirmationKind.PublicKeyMatches"/>; otherwise null.</summary>
    public string? PublicKeyFingerprint { get; init; }

    /// <summary>A short description: "service accepted the import", "public key matches" or "Enabled, material not proven to be ours".</summary>
    public string Description => Kind switch
    {
        ImportConfirmationKind.ServiceAccepted => "service accepted the import",
        ImportConfirmationKind.PublicKeyMatches => "public key matches",
        ImportConfirmationKind.KeyStateOnly => "Enabled, material not proven to be ours",
        _ => Kind.ToString(),
    };

    /// <summary>The description and the fingerprint.</summary>
    /// <returns>For example <c>public key matches (material sha256:...)</c>.</returns>
    public override string ToString() => $"{Description} (material sha256:{MaterialFingerprint})";
}
