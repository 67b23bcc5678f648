namespace KmsImport.Sdk;

public partial class KeyImportClient
{
    // Parameters for another key would wrap material for the wrong key: refused before any use.
    private static async Task<ImportParameters> CheckedParametersAsync(string keyId, Task<ImportParameters> fetch) =>
        ImportRules.ThrowIfOtherKey(keyId, await fetch.ConfigureAwait(false));
}
