using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Testing.Emulation;

namespace KmsImport.Sdk.Testing;

// Test inspection and hooks: not reachable through the API.
public sealed partial class LocalKms
{
    /// <summary>
    /// Test inspection: the lower-case hex SHA-256 of the material the key holds now (symmetric
    /// bytes, or the PKCS#8 DER as unwrapped), equal to <see cref="KeyMaterial.ComputeFingerprint"/>
    /// of what was imported; null when the key holds no material.
    /// </summary>
    /// <param name="keyId">The key id.</param>
    /// <returns>The fingerprint, or null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyId"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The emulator has no such key.</exception>
    public string? GetImportedMaterialFingerprint(string keyId)
    {
        EmulatedKey key = GetKeyForInspection(keyId);
        lock (key)
        {
            ExpireMaterialIfDue(key);
            return key.Material is null ? null : key.Fingerprint;
        }
    }

    /// <summary>Test inspection: how many times material was successfully imported into the key.</summary>
    /// <param name="keyId">The key id.</param>
    /// <returns>The number of successful imports.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyId"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The emulator has no such key.</exception>
    public int GetImportCount(string keyId)
    {
        EmulatedKey key = GetKeyForInspection(keyId);
        lock (key)
        {
            return key.ImportCount;
        }
    }

    /// <summary>
    /// Test hook: freezes a key (key_state 7), as the service does when the account is in arrears.
    /// get-parameters-for-import and import-key-material are then refused with <c>KMS.0320</c>.
    /// </summary>
    /// <param name="keyId">The key id.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyId"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The emulator has no such key.</exception>
    public void FreezeKey(string keyId)
    {
        EmulatedKey key = GetKeyForInspection(keyId);
        lock (key)
        {
            if (key.State != KeyState.Frozen)
            {
                key.StateBeforeFreeze = key.State;
                key.State = KeyState.Frozen;
            }
        }
    }

    /// <summary>Test hook: undoes <see cref="FreezeKey"/> (the service was renewed).</summary>
    /// <param name="keyId">The key id.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyId"/> is null.</exception>
    /// <exception cref="KeyNotFoundException">The emulator has no such key.</exception>
    public void UnfreezeKey(string keyId)
    {
        EmulatedKey key = GetKeyForInspection(keyId);
        lock (key)
        {
            if (key.State == KeyState.Frozen && key.StateBeforeFreeze is { } before)
            {
                key.State = before;
                key.StateBeforeFreeze = null;
            }
        }
    }

    private EmulatedKey GetKeyForInspection(string keyId)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        return _keys.TryGetValue(keyId, out EmulatedKey? key)
            ? key
            : throw new KeyNotFoundException($"The emulator has no key '{keyId}'.");
    }
}
