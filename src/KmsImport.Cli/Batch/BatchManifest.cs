using System.Text.Json;
using KmsImport.Sdk;

namespace KmsImport.Cli.Batch;

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
/// material's length (48 bytes HMAC_384, 64 HMAC_512; 32 bytes fit AES_256 and HMAC_256, so the
/// key's own spec is asked with describe-key);
/// <c>expires</c> takes what <c>--expires</c> takes. The manifest holds paths, never secrets.
/// Instead of <c>keyId</c> an entry may give <c>alias</c> (and <c>spec</c>, optionally
/// <c>usage</c> and <c>description</c>): the key is created with origin external, then imported.
/// An entry may give its own target, <c>endpoint</c> or <c>region</c>/<c>cloud</c>/<c>projectId</c>;
/// the command's connection options are the default. Several entries may name the same file.
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

                string? keyId = GetString(item, "keyId", where);
                string? alias = GetString(item, "alias", where);
                if ((keyId is null) == (alias is null))
                {
                    throw new CliUsageException($"{where} needs exactly one of \"keyId\" (an existing key) or \"alias\" (a key to create, with \"spec\").");
                }

                BatchTargetFields target = BatchTargetFields.Read(item, where, GetString);
                string name = keyId is not null ? $"key {keyId}" : $"alias {alias}";
                if (!seen.Add($"{target}\n{(keyId is not null ? "id:" + keyId : "alias:" + alias)}"))
                {
                    throw new CliUsageException($"{where}: {name} appears twice{(target.IsDefault ? string.Empty : $" for {target}")}; a key takes material once.");
                }

                string? usage = GetString(item, "usage", where);
                string? description = GetString(item, "description", where);
                if (keyId is not null && (usage is not null || description is not null))
                {
                    throw new CliUsageException($"{where}: \"usage\" and \"description\" describe a key to create; they go with \"alias\", not \"keyId\".");
                }

                if (description is { Length: > 255 })
                {
                    throw new CliUsageException($"{where}: \"description\" is {description.Length} characters long; the service accepts at most 255.");
                }

                if (alias is not null && !BatchTargetFields.IsValidAlias(alias))
                {
                    throw new CliUsageException($"{where}: alias '{alias}' is not valid: use 1 to 255 characters from letters, digits, ':', '/', '_' and '-'.");
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
                    expiry)
                {
                    Alias = alias,
                    Usage = usage is null ? (KeyUsage?)null : new KeyUsage(usage),
                    Description = description,
                    Target = target,
                });
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
