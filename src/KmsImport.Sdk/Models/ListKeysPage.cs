namespace KmsImport.Sdk;

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
