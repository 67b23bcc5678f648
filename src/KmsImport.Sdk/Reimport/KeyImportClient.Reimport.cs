using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk;

public partial class KeyImportClient
{
    // Every local check an import runs (spec, the target's capabilities, wrapping algorithm, expiry in the future),
    // for a caller that must know the import can succeed before it changes the key.
    internal void CheckImportLocally(KeyMaterial material, ImportKeyMaterialOptions options) =>
        _ = _preflight.Prepare(string.Empty, material, options);
}
