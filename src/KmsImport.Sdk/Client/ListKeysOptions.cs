namespace KmsImport.Sdk;

/// <summary>Filters and page size of <see cref="IKeyImportClient.ListKeysAsync"/>.</summary>
public sealed record ListKeysOptions
{
    /// <summary>Only keys in this state; null for every state. <value>Default null.</value></summary>
    public KeyState? State { get; init; }

    /// <summary>Only keys of this spec; null for every spec (the service is sent <c>key_spec</c> <c>ALL</c>). <value>Default null.</value></summary>
    public KeySpec? KeySpec { get; init; }

    /// <summary>How many keys each list-keys call asks for. <value>Default 100; 1 to 1000.</value></summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The enterprise project; null for every project the caller may see. <value>Default null.</value></summary>
    public string? EnterpriseProjectId { get; init; }
}
