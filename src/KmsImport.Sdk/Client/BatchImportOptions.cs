namespace KmsImport.Sdk;

/// <summary>Options for a batch import.</summary>
public sealed record BatchImportOptions
{
    /// <summary>The default of <see cref="MaxConcurrency"/>.</summary>
    public const int DefaultMaxConcurrency = Contract.KmsContract.DefaultBatchConcurrency;

    /// <summary>The largest accepted <see cref="MaxConcurrency"/>.</summary>
    public const int MaxConcurrencyLimit = 256;

    /// <summary>How many imports run at once. <value>Default 8; 1 to 256.</value></summary>
    public int MaxConcurrency { get; init; } = DefaultMaxConcurrency;

    /// <summary>Told after each key completes (succeeded or failed); none when null. <value>Default null.</value></summary>
    public IProgress<BatchImportProgress>? Progress { get; init; }
}
