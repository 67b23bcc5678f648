namespace KmsImport.Sdk.Batches;

/// <summary>The result for one key of a migration.</summary>
public sealed class MigrationResult
{
    /// <summary>The item's position in the list given to <see cref="KeyMigration.RunAsync"/>.</summary>
    public required int Index { get; init; }

    /// <summary>The item's target.</summary>
    public required string Target { get; init; }

    /// <summary>The key id, when known (null when a key to create by alias was never created).</summary>
    public string? KeyId { get; init; }

    /// <summary>The alias of a key created by alias; otherwise null.</summary>
    public string? Alias { get; init; }

    /// <summary>How the key ended.</summary>
    public required MigrationOutcome Outcome { get; init; }

    /// <summary>Lower-case hex SHA-256 of the material (the same for every item sharing one material).</summary>
    public required string MaterialFingerprint { get; init; }

    /// <summary>How the import is known to have happened ("service accepted the import", "public key matches", "unverified: …"); null for failures.</summary>
    public string? Confirmation { get; init; }

    /// <summary>The import result, when this run imported the material.</summary>
    public KeyImportResult? ImportResult { get; init; }

    /// <summary>The failure, when <see cref="Outcome"/> is <see cref="MigrationOutcome.Failed"/>.</summary>
    public Exception? Error { get; init; }

    /// <summary>Whether the key holds the material now (imported, already imported or skipped as recorded imported).</summary>
    public bool Succeeded => Outcome != MigrationOutcome.Failed;
}
