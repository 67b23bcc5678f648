namespace KmsImport.Sdk;

/// <summary>The result of create-key.</summary>
/// <remarks>In tests, built by <see cref="KmsImportModelFactory.CreateKeyResult"/>.</remarks>
public sealed record CreateKeyResult
{
    /// <summary>The new key's id.</summary>
    public required string KeyId { get; init; }

    /// <summary>The account (domain) id.</summary>
    public string? DomainId { get; init; }
}
