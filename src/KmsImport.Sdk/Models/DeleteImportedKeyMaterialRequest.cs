namespace KmsImport.Sdk;

/// <summary>delete-imported-key-material.</summary>
/// <param name="KeyId">The key id.</param>
public sealed record DeleteImportedKeyMaterialRequest(string KeyId)
{
    /// <summary>An optional 36-character request serial number.</summary>
    public string? Sequence { get; init; }
}
