namespace KmsImport.Sdk.Batches;

/// <summary>Options of <see cref="KeyMigration.RunAsync"/>.</summary>
public sealed class MigrationOptions
{
    /// <summary>How many keys are worked on at once, 1 to 256. <value>Default 8.</value></summary>
    public int MaxConcurrency { get; init; } = BatchImportOptions.DefaultMaxConcurrency;

    /// <summary>The journal that makes the run resumable; none when null. <value>Default null.</value></summary>
    public IBatchJournal? Journal { get; init; }

    /// <summary>Told after each key completes; none when null. <value>Default null.</value></summary>
    public IProgress<MigrationProgress>? Progress { get; init; }

    /// <summary>The clock of journal times. <value>Default <see cref="TimeProvider.System"/>.</value></summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;
}
