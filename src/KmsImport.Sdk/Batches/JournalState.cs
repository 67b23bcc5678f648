namespace KmsImport.Sdk.Batches;

/// <summary>What a journal says about each key: created (with which id), imported (with which material).</summary>
internal sealed class JournalState
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    public JournalState(IReadOnlyList<BatchJournalRecord> records)
    {
        foreach (BatchJournalRecord record in records)
        {
            string? identity = IdentityOf(record.Target, record.KeyId, record.Alias);
            if (identity is null)
            {
                continue;
            }

            if (!_entries.TryGetValue(identity, out Entry? entry))
            {
                entry = new Entry();
                _entries[identity] = entry;
            }

            entry.KeyId = record.KeyId ?? entry.KeyId;
            switch (record.Event)
            {
                case BatchJournalEvent.CreateStarted:
                    entry.CreateStarted = true;
                    break;
                case BatchJournalEvent.Imported:
                case BatchJournalEvent.AlreadyImported:
                    entry.ImportedFingerprint = record.Fingerprint;
                    entry.Confirmation = record.Confirmation;
                    break;
            }
        }
    }

    /// <summary>The journal's identity of a key: its target and its alias (keys created by alias) or id.</summary>
    public static string? IdentityOf(string target, string? keyId, string? alias) =>
        alias is not null ? target + "\nalias:" + alias
        : keyId is not null ? target + "\nid:" + keyId
        : null;

    public Entry? Find(string identity) => _entries.TryGetValue(identity, out Entry? entry) ? entry : null;

    internal sealed class Entry
    {
        public string? KeyId { get; set; }

        public bool CreateStarted { get; set; }

        /// <summary>Set when the journal records the key imported (or found already imported).</summary>
        public string? ImportedFingerprint { get; set; }

        public string? Confirmation { get; set; }

        public bool IsImported => ImportedFingerprint is not null;
    }
}
