namespace KmsImport.Sdk;

/// <summary>The result for one key of a batch: a result or the exception that ended it.</summary>
/// <remarks>
/// <see cref="Error"/> is a <see cref="KeyImportValidationException"/> or <see cref="ArgumentException"/>
/// for bad input (nothing was sent), a <see cref="KmsRequestFailedException"/> when the service
/// refused the import, or an <see cref="OperationCanceledException"/> when the batch was cancelled
/// while this key's import was under way (describe the key to learn whether the import happened).
/// Built by the client; in tests, by <see cref="KmsImportModelFactory.BatchImportResult"/>.
/// </remarks>
public sealed record BatchImportResult
{
    /// <summary>The key id (empty when the item itself was null).</summary>
    public required string KeyId { get; init; }

    /// <summary>The import result, when it succeeded.</summary>
    public KeyImportResult? Result { get; init; }

    /// <summary>The failure, when it did not.</summary>
    public Exception? Error { get; init; }

    /// <summary>Whether the key was imported.</summary>
    public bool Succeeded => Error is null;
}
