using System.Text.Json;
using KmsImport.Sdk;

namespace KmsImport.Cli;

/// <summary>
/// The <c>import-batch</c> manifest: a JSON object
/// <code>
/// {
///   "maxConcurrency": 4,
///   "keys": [
///     { "keyId": "…", "material": "aes-1.bin", "spec": "AES_256", "expires": "30d" },
///     { "keyId": "…", "privateKey": "rsa-1.pem", "passwordFile": "rsa-1.pass" }
///   ]
/// }
/// </code>
/// Paths are relative to the manifest's directory. Each key has exactly one of <c>material</c>
/// (raw symmetric bytes) and <c>privateKey</c> (PEM or DER); <c>spec</c> defaults from the
/// material's length (32 bytes AES_256, 48 HMAC_384, 64 HMAC_512; write HMAC_256 explicitly);
/// <c>expires</c> takes what <c>--expires</c> takes. The manifest holds paths, never secrets.
/// </summary>
internal sealed record BatchManifest(int? MaxConcurrency, IReadOnlyList<BatchManifestEntry> Keys)
{
    public static BatchManifest Load(string path, CliContext context)
    {
        byte[] bytes = InputFiles.ReadBytes(path, "--manifest", context);
        string baseDirectory = path == "-" ? Directory.GetCurrentDirectory() : Path.GetDirectoryName(Path.GetFullPath(path))!;
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(bytes, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
        }
        catch (JsonException ex)
        {
            throw new CliUsageException($"--manifest {path}: not valid JSON ({ex.Message}).", ex);
        }

        using (document)
        {
            JsonElement root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("keys", out JsonElement keys) || keys.ValueKind != JsonValueKind.Array)
            {
                throw new CliUsageException($"--manifest {path}: expected an object with a \"keys\" array, e.g. {{\"keys\":[{{\"keyId\":\"...\",\"material\":\"aes.bin\"}}]}}.");
            }

            int? maxConcurrency = null;
            if (root.TryGetProperty("maxConcurrency", out JsonElement concurrency))
            {
                if (concurrency.ValueKind != JsonValueKind.Number || !concurrency.TryGetInt32(out int value) || value is < 1 or > 256)
                {
                    throw new CliUsageException($"--manifest {path}: \"maxConcurrency\" must be a number from 1 to 256.");
                }

                maxConcurrency = value;
            }

            var entries = new List<BatchManifestEntry>();
            var seen = new HashSet<string>(StringComparer.Ordinal);
            int index = 0;
            foreach (JsonElement item in keys.EnumerateArray())
            {
                string where = $"--manifest {path}: keys[{index}]";
                if (item.ValueKind != JsonValueKind.Object)
                {
                    throw new CliUsageException($"{where} is not an object.");
                }

                string keyId = GetString(item, "keyId", where) ?? throw new CliUsageException($"{where} has no \"keyId\".");
                if (!seen.Add(keyId))
                {
                    throw new CliUsageException($"{where}: key {keyId} appears twice; a key takes material once.");
                }

                string? material = GetString(item, "material", where);
                string? privateKey = GetString(item, "privateKey", where);
                string? passwordFile = GetString(item, "passwordFile", where);
                if ((material is null) == (privateKey is null))
                {
                    throw new CliUsageException($"{where} needs exactly one of \"material\" (symmetric) or \"privateKey\".");
                }

                if (passwordFile is not null && privateKey is null)
                {
                    throw new CliUsageException($"{where}: \"passwordFile\" goes with \"privateKey\".");
                }

                MaterialExpiry expiry;
                try
                {
                    expiry = ExpiryParser.Parse(GetString(item, "expires", where));
                }
                catch (CliUsageException ex)
                {
                    throw new CliUsageException($"{where}: {ex.Message}", ex);
                }

                if (privateKey is not null && !expiry.IsNever)
                {
                    throw new CliUsageException($"{where}: \"expires\" applies to symmetric material only; imported private keys never expire.");
                }

                string? spec = GetString(item, "spec", where);
                entries.Add(new BatchManifestEntry(
                    keyId,
                    Resolve(baseDirectory, material),
                    Resolve(baseDirectory, privateKey),
                    Resolve(baseDirectory, passwordFile),
                    spec is null ? (KeySpec?)null : new KeySpec(spec),
                    expiry));
                index++;
            }

            if (entries.Count == 0)
            {
                throw new CliUsageException($"--manifest {path}: \"keys\" is empty; nothing to import.");
            }

            return new BatchManifest(maxConcurrency, entries);
        }
    }

    private static string? GetString(JsonElement item, string name, string where)
    {
        if (!item.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()))
        {
            throw new CliUsageException($"{where}: \"{name}\" must be a non-empty string.");
        }

        return value.GetString();
    }

    private static string? Resolve(string baseDirectory, string? path) =>
        path is null ? null : Path.GetFullPath(path, baseDirectory);
}

/// <summary>One key of a batch manifest.</summary>
internal sealed record BatchManifestEntry(string KeyId, string? MaterialPath, string? PrivateKeyPath, string? PasswordPath, KeySpec? Spec, MaterialExpiry Expiry);
