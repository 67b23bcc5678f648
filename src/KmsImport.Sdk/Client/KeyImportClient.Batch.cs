namespace KmsImport.Sdk;

public partial class KeyImportClient
{
    /// <exception cref="KeyImportValidationException">A key id appears more than once.</exception>
    private static void CheckNoDuplicateKeyIds(List<BatchImportItem?> items)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var duplicates = new SortedSet<string>(StringComparer.Ordinal);
        foreach (BatchImportItem? item in items)
        {
            if (item?.KeyId is { } keyId && !seen.Add(keyId))
            {
                duplicates.Add(keyId);
            }
        }

        if (duplicates.Count > 0)
        {
            throw new KeyImportValidationException(
                $"The batch names {(duplicates.Count == 1 ? "key" : "keys")} {string.Join(", ", duplicates)} more than once; nothing was sent. Give each key id once (one material per key).");
        }
    }
}
