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

/// <summary>One page of list-keys.</summary>
/// <remarks>In tests, built by <see cref="KmsImportModelFactory.ListKeysPage"/>.</remarks>
public sealed record ListKeysPage
{
    /// <summary>The keys of this page, with their details.</summary>
    public required IReadOnlyList<KeyDetails> Keys { get; init; }

    /// <summary>The marker of the next page; null when this is the last one.</summary>
    public string? NextMarker { get; init; }

    /// <summary>Whether more pages follow.</summary>
    public bool Truncated { get; init; }

    /// <summary>The total number of keys, when the service reports it.</summary>
    public int? Total { get; init; }
}

/// <summary>get-publickey: the public key of an asymmetric key.</summary>
/// <param name="KeyId">The key id.</param>
public sealed record GetPublicKeyRequest(string KeyId)
{
    /// <summary>An optional 36-character request serial number.</summary>
    public string? Sequence { get; init; }
}
