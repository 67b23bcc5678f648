namespace KmsImport.Sdk.Batches;

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
