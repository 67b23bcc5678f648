namespace KmsImport.Sdk;

/// <summary>create-key: a new key; for import, with <see cref="KeyOrigin.External"/>.</summary>
/// <param name="KeyAlias">The alias, <c>^[a-zA-Z0-9:/_-]{1,255}$</c>.</param>
public sealed record CreateKeyRequest(string KeyAlias)
{
    /// <summary>The key spec; the service defaults to AES_256.</summary>
    public KeySpec KeySpec { get; init; } = KeySpec.Aes256;

    /// <summary>The key usage; null lets the service pick the spec's default.</summary>
    public KeyUsage? KeyUsage { get; init; }

    /// <summary>A description of up to 255 characters.</summary>
    public string? KeyDescription { get; init; }

    /// <summary>The origin; <see cref="KeyOrigin.External"/> (the default here) for imported material.</summary>
    public KeyOrigin Origin { get; init; } = KeyOrigin.External;

    /// <summary>The enterprise project id, if any.</summary>
    public string? EnterpriseProjectId { get; init; }

    /// <summary>
    /// The keystore; null or <c>"0"</c> for the default keystore. Keys in a custom keystore cannot
    /// take imported material (<c>KMS.0339</c>).
    /// </summary>
    public string? KeystoreId { get; init; }

    /// <summary>An optional 36-character request serial number.</summary>
    public string? Sequence { get; init; }
}
