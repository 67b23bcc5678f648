namespace KmsImport.Sdk;

/// <summary>Progress of a batch import, reported after each key completes.</summary>
/// <remarks>Built by the client; in tests, by <see cref="KmsImportModelFactory.BatchImportProgress"/>.</remarks>
public sealed record BatchImportProgress
{
    /// <summary>Keys completed so far (succeeded plus failed).</summary>
    public required int Completed { get; init; }

    /// <summary>Keys imported so far.</summary>
    public required int Succeeded { get; init; }

    /// <summary>Keys that failed so far.</summary>
    public required int Failed { get; init; }

    /// <summary>The number of items, when the sequence could tell it without being enumerated; otherwise null.</summary>
    public int? Total { get; init; }

    /// <summary>The key that just completed.</summary>
    public required string LastKeyId { get; init; }
}
