using System.Security.Cryptography;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Cli.Batch;

/// <summary>
/// Every file of a manifest, read and checked before anything is sent. Entries that name the same
/// file (and spec) share one <see cref="KeyMaterial"/>, hence one fingerprint. Raw material of 32
/// bytes without a spec fits AES_256 and HMAC_256: an existing key's own spec decides later.
/// </summary>
internal sealed class BatchMaterials : IDisposable
{
    private readonly Dictionary<string, KeyMaterial> _byFile = new(StringComparer.Ordinal);
    private readonly Dictionary<string, byte[]> _undecidedBytes = new(StringComparer.Ordinal);
    private readonly Dictionary<BatchManifestEntry, string> _fileOf = [];

    public static BatchMaterials Load(BatchManifest manifest, CliContext context)
    {
        var materials = new BatchMaterials();
        try
        {
            int index = 0;
            foreach (BatchManifestEntry entry in manifest.Keys)
            {
                materials.Add(entry, index++, context);
            }

            return materials;
        }
        catch
        {
            materials.Dispose();
            throw;
        }
    }

    /// <summary>The material of an entry; null while its spec is undecided (see <see cref="Decide"/>).</summary>
    public KeyMaterial? Get(BatchManifestEntry entry) => _byFile.TryGetValue(_fileOf[entry], out KeyMaterial? material) ? material : null;

    /// <summary>Whether the entry's spec waits for its key's spec.</summary>
    public bool IsUndecided(BatchManifestEntry entry) => Get(entry) is null;

    /// <summary>Settles an undecided entry's material with its key's spec.</summary>
    public KeyMaterial Decide(BatchManifestEntry entry, KeySpec spec)
    {
        string file = _fileOf[entry];
        string decided = $"{file}\n{spec}";
        if (!_byFile.TryGetValue(decided, out KeyMaterial? material))
        {
            material = KeyMaterial.FromSymmetricKey(_undecidedBytes[file], spec);
            _byFile[decided] = material;
        }

        _fileOf[entry] = decided;
        return material;
    }

    /// <summary>The fingerprint of a decided entry, or of the bytes of an undecided one (the same value).</summary>
    public string Fingerprint(BatchManifestEntry entry) =>
        Get(entry)?.ComputeFingerprint() ?? Convert.ToHexStringLower(SHA256.HashData(_undecidedBytes[_fileOf[entry]]));

    public void Dispose()
    {
        foreach (KeyMaterial material in _byFile.Values)
        {
            material.Dispose();
        }

        foreach (byte[] bytes in _undecidedBytes.Values)
        {
            CryptographicOperations.ZeroMemory(bytes);
        }

        _byFile.Clear();
        _undecidedBytes.Clear();
    }

    private void Add(BatchManifestEntry entry, int index, CliContext context)
    {
        string file = $"{entry.MaterialPath ?? entry.PrivateKeyPath}\n{entry.PasswordPath}\n{entry.Spec}";
        _fileOf[entry] = file;
        if (_byFile.ContainsKey(file) || _undecidedBytes.ContainsKey(file))
        {
            return;
        }

        if (entry.PrivateKeyPath is { } privateKey)
        {
            _byFile[file] = KeyMaterialFiles.LoadPrivateKey(privateKey, entry.PasswordPath, context, entry.Spec);
        }
        else if (entry.Spec is not null || !IsAmbiguous(entry.MaterialPath!))
        {
            _byFile[file] = KeyMaterialFiles.LoadSymmetric(entry.MaterialPath!, entry.Spec, context);
        }
        else if (entry.Alias is not null)
        {
            throw new CliUsageException($"--manifest: keys[{index}] (alias {entry.Alias}): 32 bytes of material fit AES_256 and HMAC_256; give \"spec\" for a key to create.");
        }
        else
        {
            _undecidedBytes[file] = InputFiles.ReadBytes(entry.MaterialPath!, "--manifest material", context);
        }
    }

    private static bool IsAmbiguous(string path) => File.Exists(path) && new FileInfo(path).Length == 32;
}
