using KmsImport.Sdk.Batches;

namespace KmsImport.Cli.Batch;

/// <summary>The summary of <c>import-batch</c>: a table in manifest order on stdout, the counts on stderr.</summary>
internal static class BatchSummary
{
    public static void Write(TextWriter output, BatchManifest manifest, IReadOnlyList<MigrationResult?> results, bool showTargets)
    {
        output.WriteLine($"{"KEY ID",-38}{"RESULT",-9}{"STATE",-15}{"EXPIRES",-22}FINGERPRINT / ERROR");
        for (int i = 0; i < manifest.Keys.Count; i++)
        {
            BatchManifestEntry entry = manifest.Keys[i];
            MigrationResult? result = results[i];
            string where = (entry.Alias is null ? string.Empty : $"  alias {entry.Alias}")
                + (showTargets && result is not null ? $"  at {result.Target}" : string.Empty);
            string keyId = result?.KeyId ?? entry.KeyId ?? "-";
            string line = result switch
            {
                null => $"{keyId,-38}{"skipped",-9}{"-",-15}{"-",-22}not attempted (cancelled)",
                { Outcome: MigrationOutcome.Imported, ImportResult: { } ok } =>
                    $"{keyId,-38}{"ok",-9}{ok.KeyState.DisplayName,-15}{OutputFormat.Expiry(ok.MaterialExpiresOn),-22}sha256:{result.MaterialFingerprint} ({result.Confirmation})",
                { Outcome: MigrationOutcome.AlreadyImported } =>
                    $"{keyId,-38}{"already",-9}{"Enabled",-15}{"-",-22}sha256:{result.MaterialFingerprint} ({result.Confirmation})",
                { Outcome: MigrationOutcome.Skipped } =>
                    $"{keyId,-38}{"skipped",-9}{"-",-15}{"-",-22}sha256:{result.MaterialFingerprint} (journal: imported earlier)",
                _ => $"{keyId,-38}{"failed",-9}{"-",-15}{"-",-22}{ErrorReporter.Reason(result.Error!)}",
            };
            output.WriteLine(line + where);
        }
    }

    /// <summary>For example <c>3 imported, 1 already imported, 0 skipped, 0 failed</c>.</summary>
    public static string Counts(IReadOnlyList<MigrationResult?> results)
    {
        int imported = results.Count(r => r?.Outcome == MigrationOutcome.Imported);
        int already = results.Count(r => r?.Outcome == MigrationOutcome.AlreadyImported);
        int skipped = results.Count(r => r?.Outcome == MigrationOutcome.Skipped);
        int failed = results.Count(r => r is null || r.Outcome == MigrationOutcome.Failed);
        return $"{imported} imported, {already} already imported, {skipped} skipped, {failed} failed";
    }

    /// <summary>
    /// What a cancelled batch did and did not do, for its one line on stderr: for example <c>12 of 40 keys
    /// imported, 28 not done or not confirmed; run again with the same --journal to resume</c>.
    /// </summary>
    /// <param name="results">The results so far, in manifest order; null for a key not finished.</param>
    /// <param name="journal">Whether the batch keeps a journal.</param>
    public static string Cancelled(IReadOnlyList<MigrationResult?> results, bool journal)
    {
        int imported = results.Count(r => r is { Succeeded: true });
        int failed = results.Count(r => r is { Succeeded: false });
        int notDone = results.Count - imported - failed;
        string failures = failed == 0 ? string.Empty : $", {failed} failed";

        // A key under way may have been imported: the next run finds out (from the journal, or by finding it Enabled).
        string next = journal
            ? "run again with the same --journal to resume"
            : "run the same command again to finish (keys imported already are found, not imported twice)";
        return $"{imported} of {results.Count} keys imported{failures}, {notDone} not done or not confirmed; {next}";
    }
}
