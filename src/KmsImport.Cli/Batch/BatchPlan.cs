namespace KmsImport.Cli.Batch;

/// <summary>What <c>import-batch --dry-run</c> prints: each key's target, key or alias, spec and material, after every check; nothing is sent.</summary>
internal static class BatchPlan
{
    public static void Write(TextWriter output, BatchManifest manifest, Dictionary<BatchTargetFields, BatchTarget> targets, BatchMaterials materials, string? journalPath, TimeProvider timeProvider)
    {
        output.WriteLine($"plan: {manifest.Keys.Count} keys, {targets.Count} target{(targets.Count == 1 ? string.Empty : "s")}; every file, spec and target checked; nothing sent (dry run)");
        if (journalPath is not null)
        {
            output.WriteLine($"journal: {Path.GetFullPath(journalPath)} ({(File.Exists(journalPath) ? "exists: keys it records imported will be skipped" : "new")})");
        }

        foreach (BatchManifestEntry entry in manifest.Keys)
        {
            string spec = materials.Get(entry)?.KeySpec.ToString() ?? "AES_256 or HMAC_256 (the key's spec decides)";
            string what = entry.Alias is not null
                ? $"create alias {entry.Alias} ({spec}, origin external{(entry.Usage is { } usage ? $", {usage}" : string.Empty)}), then import"
                : $"import into key {entry.KeyId} ({spec})";
            string file = entry.MaterialPath ?? entry.PrivateKeyPath!;
            string expiry = entry.Expiry.IsNever ? "never expires" : "expires " + OutputFormat.Expiry(entry.Expiry, timeProvider);
            output.WriteLine($"  {targets[entry.Target].Label}: {what}: {file} sha256:{materials.Fingerprint(entry)}, {expiry}");
        }
    }
}
