namespace KmsImport.Sdk;

/// <summary>A key as describe-key reports it. Absent values (empty strings on the wire) are null.</summary>
public sealed record KeyDetails
{
    /// <summary>The key id.</summary>
    public required string KeyId { get; init; }

    /// <summary>The account (domain) id.</summary>
    public string? DomainId { get; init; }

    /// <summary>The alias.</summary>
    public string? KeyAlias { get; init; }

    /// <summary>The region the key lives in.</summary>
    public string? Realm { get; init; }

    /// <summary>The key spec.</summary>
    public KeySpec? KeySpec { get; init; }

    /// <summary>The key usage.</summary>
    public KeyUsage? KeyUsage { get; init; }

    /// <summary>The description.</summary>
    public string? KeyDescription { get; init; }

    /// <summary>When the key was created.</summary>
    public DateTimeOffset? CreationDate { get; init; }

    /// <summary>When the key is scheduled to be deleted.</summary>
    public DateTimeOffset? ScheduledDeletionDate { get; init; }

    /// <summary>The key state.</summary>
    public required KeyState KeyState { get; init; }

    /// <summary>Whether this is a default (service-managed) key.</summary>
    public bool? DefaultKeyFlag { get; init; }

    /// <summary>The key type as the service reports it.</summary>
    public string? KeyType { get; init; }

    /// <summary>When the imported material expires; null when it never does.</summary>
    public DateTimeOffset? MaterialExpiresOn { get; init; }

    /// <summary>Where the material comes from.</summary>
    public KeyOrigin? Origin { get; init; }

    /// <summary>Whether rotation is enabled.</summary>
    public bool? KeyRotationEnabled { get; init; }

    /// <summary>The enterprise project id.</summary>
    public string? EnterpriseProjectId { get; init; }

    /// <summary>The key store id.</summary>
    public string? KeystoreId { get; init; }
}
