namespace KmsImport.Sdk;

/// <summary>list-keys: one page of the keys of the project.</summary>
public sealed record ListKeysRequest
{
    /// <summary>The <c>key_spec</c> filter that lists every key, asymmetric ones included.</summary>
    public const string AllKeySpecs = "ALL";

    /// <summary>The page size (<c>limit</c>); null lets the service choose.</summary>
    public int? Limit { get; init; }

    /// <summary>Where the page starts: the <see cref="ListKeysPage.NextMarker"/> of the previous page; null for the first page.</summary>
    public string? Marker { get; init; }

    /// <summary>Only keys in this state; null for every state. The service filters states 1 to 5 only.</summary>
    public KeyState? KeyState { get; init; }

    /// <summary>
    /// The <c>key_spec</c> filter: <see cref="AllKeySpecs"/> (the default here) or one spec. The
    /// service's own default is AES_256, which hides every other key.
    /// </summary>
    public string KeySpec { get; init; } = AllKeySpecs;

    /// <summary>The enterprise project; null for every project the caller may see.</summary>
    public string? EnterpriseProjectId { get; init; }

    /// <summary>An optional 36-character request serial number.</summary>
    public string? Sequence { get; init; }
}
