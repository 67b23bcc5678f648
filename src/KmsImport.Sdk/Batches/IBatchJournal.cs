namespace KmsImport.Sdk.Batches;

/// <summary>
/// Where a batch records each step before and after taking it, so that a batch interrupted at any
/// point (a crash, <c>kill -9</c>) can be run again and continue: see <see cref="KeyMigration"/>.
/// <see cref="FileBatchJournal"/> keeps it in an append-only JSON-lines file.
/// </summary>
public interface IBatchJournal
{
    /// <summary>The records earlier runs wrote (those the journal held when it was opened), oldest first; <see cref="KeyMigration"/> reads them once, at start.</summary>
    /// <returns>The records.</returns>
    IReadOnlyList<BatchJournalRecord> Records { get; }

    /// <summary>Appends a record durably: when the task completes, the record survives a crash.</summary>
    /// <param name="record">The record.</param>
    /// <param name="cancellationToken">Cancels waiting for the journal; a record being written is finished.</param>
    /// <returns>A task that completes when the record is stored.</returns>
    ValueTask AppendAsync(BatchJournalRecord record, CancellationToken cancellationToken = default);
}
