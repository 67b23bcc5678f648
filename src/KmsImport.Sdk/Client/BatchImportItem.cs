using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk;

/// <summary>One key of a batch import.</summary>
/// <param name="KeyId">The key id.</param>
/// <param name="Material">The plaintext material; the caller keeps ownership.</param>
public sealed record BatchImportItem(string KeyId, KeyMaterial Material)
{
    /// <summary>Options for this key; defaults when null.</summary>
    public ImportKeyMaterialOptions? Options { get; init; }
}
