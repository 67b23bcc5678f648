using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk.Batches;

/// <summary>One key of a migration: material for an existing key (<see cref="KeyId"/>) or for a key created by alias (<see cref="CreateKey"/>), at one target.</summary>
public sealed class MigrationItem
{
    /// <summary>A label of where the key lives (an endpoint, or <c>cloud/region/project</c>); it identifies the key in the journal together with the key id or alias.</summary>
    public required string Target { get; init; }

    /// <summary>The client that talks to <see cref="Target"/>.</summary>
    public required IKeyImportClient Client { get; init; }

    /// <summary>An existing key (origin external); null when <see cref="CreateKey"/> is given.</summary>
    public string? KeyId { get; init; }

    /// <summary>The key to create (origin external) by alias, exactly once across retries and runs; null when <see cref="KeyId"/> is given.</summary>
    public CreateKeyRequest? CreateKey { get; init; }

    /// <summary>The plaintext material; the caller keeps ownership. Several items may share one instance (one material at several targets).</summary>
    public required KeyMaterial Material { get; init; }

    /// <summary>Expiry and wrapping algorithm; defaults when null.</summary>
    public ImportKeyMaterialOptions? Options { get; init; }
}

/// <summary>How one key of a migration ended.</summary>
public enum MigrationOutcome
{
    /// <summary>This run imported the material.</summary>
    Imported = 0,

    /// <summary>The key was found Enabled although the journal did not show it imported (see <see cref="MigrationResult.Confirmation"/>).</summary>
    AlreadyImported = 1,

    /// <summary>The journal records the key imported (by an earlier run); nothing was sent.</summary>
    Skipped = 2,

    /// <summary>The key failed; see <see cref="MigrationResult.Error"/>.</summary>
    Failed = 3,
}

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
