namespace KmsImport.Sdk.Batches;

/// <summary>Progress of a migration, reported after each key completes.</summary>
public sealed class MigrationProgress
{
    /// <summary>Keys completed so far.</summary>
    public required int Completed { get; init; }

    /// <summary>Keys that failed so far.</summary>
    public required int Failed { get; init; }

    /// <summary>The number of keys.</summary>
    public required int Total { get; init; }

    /// <summary>The key that just completed.</summary>
    public required MigrationResult Last { get; init; }
}
