namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>The operation names of the REST contract (the last path segment).</summary>
internal static class KmsOperations
{
    public const string CreateKey = "create-key";
    public const string GetParametersForImport = "get-parameters-for-import";
    public const string ImportKeyMaterial = "import-key-material";
    public const string DeleteImportedKeyMaterial = "delete-imported-key-material";
    public const string DescribeKey = "describe-key";
    public const string ListKeys = "list-keys";
    public const string GetPublicKey = "get-publickey";

    public static readonly IReadOnlyList<string> All = [CreateKey, GetParametersForImport, ImportKeyMaterial, DeleteImportedKeyMaterial, DescribeKey, ListKeys, GetPublicKey];
}
