using System.Security.Cryptography;

namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>One key the emulator holds. Not thread-safe: callers lock the instance.</summary>
internal sealed class EmulatedKey(string keyId, string alias, KeySpec keySpec, KeyUsage keyUsage, string description, KeyOrigin origin, string enterpriseProjectId, DateTimeOffset creationDate)
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

    public string KeystoreId { get; init; } = LocalKms.DefaultKeystoreId;

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

    // Expired material is gone, lazily: the key returns to pending import and keeps the
    // fingerprint, so a re-import must bring the same material (KMS.2606).
    public void ExpireMaterialIfDue(DateTimeOffset now)
    {
        if (Material is not null && MaterialExpiresOn is { } expiresOn && now >= expiresOn)
        {
            ClearMaterial();
            State = KeyState.PendingImport;
        }
    }

    // Called under the key's lock.
    public KeyDetails ToDetails(string domainId, string realm) => new()
    {
        KeyId = KeyId,
        DomainId = domainId,
        KeyAlias = Alias,
        Realm = realm,
        KeySpec = KeySpec,
        KeyUsage = KeyUsage,
        KeyDescription = Description,
        CreationDate = CreationDate,
        ScheduledDeletionDate = null,
        KeyState = State,
        DefaultKeyFlag = false,
        KeyType = KeySpec.IsAsymmetric ? "2" : "1",
        MaterialExpiresOn = MaterialExpiresOn,
        Origin = Origin,
        KeyRotationEnabled = false,
        EnterpriseProjectId = EnterpriseProjectId,
        KeystoreId = KeystoreId,
    };
}
