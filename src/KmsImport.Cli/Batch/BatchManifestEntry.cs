using KmsImport.Sdk;

namespace KmsImport.Cli.Batch;

/// <summary>One key of a batch manifest.</summary>
internal sealed record BatchManifestEntry(string? KeyId, string? MaterialPath, string? PrivateKeyPath, string? PasswordPath, KeySpec? Spec, MaterialExpiry Expiry)
{
    /// <summary>The alias of a key to create (origin external); null when <see cref="KeyId"/> names an existing key.</summary>
    public string? Alias { get; init; }

    /// <summary>The usage of a key to create; the spec's default when null.</summary>
    public KeyUsage? Usage { get; init; }

    /// <summary>The description of a key to create.</summary>
    public string? Description { get; init; }

    /// <summary>Where the key lives; the command's connection options when <see cref="BatchTargetFields.IsDefault"/>.</summary>
    public BatchTargetFields Target { get; init; } = BatchTargetFields.Default;

    /// <summary>The key id or the alias, for messages.</summary>
    public string Name => KeyId ?? $"alias {Alias}";
}
