using KmsImport.Sdk;

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
            string expiry = DescribeExpiry(entry.Expiry, timeProvider);
            output.WriteLine($"  {targets[entry.Target].Label}: {what}: {file} sha256:{materials.Fingerprint(entry)}, {expiry}");
        }
    }

    // A duration counts from each key's import, not from the dry run: say so, with the time it would give now.
    private static string DescribeExpiry(MaterialExpiry expiry, TimeProvider timeProvider)
    {
        DateTimeOffset now = timeProvider.GetUtcNow();
        if (expiry.ResolveExpiresOn(timeProvider) is not { } at)
        {
            return "never expires";
        }

        return expiry == MaterialExpiry.At(at)
            ? "expires " + OutputFormat.Time(at)
            : $"expires {TimeSpan.FromSeconds(Math.Round((at - now).TotalSeconds)):c} after its import ({OutputFormat.Time(at)} if imported now)";
    }
}
