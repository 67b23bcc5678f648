namespace KmsImport.Sdk.Batches;

/// <summary>What one line of a batch journal says happened.</summary>
public enum BatchJournalEvent
{
    /// <summary>create-key is about to be sent for an alias (written before the request).</summary>
    CreateStarted = 0,

    /// <summary>create-key answered (or was settled by alias): <see cref="BatchJournalRecord.KeyId"/> names the key.</summary>
    Created = 1,

    /// <summary>The import of a key is about to start (written before the first request).</summary>
    ImportStarted = 2,

    /// <summary>The material was imported; <see cref="BatchJournalRecord.Confirmation"/> says how that is known.</summary>
    Imported = 3,

    /// <summary>The key was found Enabled although the journal did not show it imported.</summary>
    AlreadyImported = 4,

    /// <summary>The step failed; <see cref="BatchJournalRecord.Error"/> says why.</summary>
    Failed = 5,
}
