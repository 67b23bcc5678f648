namespace KmsImport.Sdk.Batches;

/// <summary>
/// One line of a batch journal: one step of one key. It holds identifiers and fingerprints only,
/// never key material, tokens or credentials.
/// </summary>
public sealed class BatchJournalRecord
{
    /// <summary>When the step was recorded.</summary>
    public required DateTimeOffset Time { get; init; }

    /// <summary>What happened.</summary>
    public required BatchJournalEvent Event { get; init; }

    /// <summary>Where the key lives: an endpoint or <c>cloud/region/project</c> label chosen by the caller.</summary>
    public required string Target { get; init; }

    /// <summary>The key id, once known.</summary>
    public string? KeyId { get; init; }

    /// <summary>The alias of a key the batch creates; null for keys named by id.</summary>
    public string? Alias { get; init; }

    /// <summary>The key spec, for example <c>AES_256</c>.</summary>
    public string? Spec { get; init; }

    /// <summary>Lower-case hex SHA-256 of the plaintext material (symmetric bytes or PKCS#8 DER).</summary>
    public string? Fingerprint { get; init; }

    /// <summary>How an import was confirmed (for example "service accepted the import", "public key matches", "unverified").</summary>
    public string? Confirmation { get; init; }

    /// <summary>Why a step failed (an SDK message: no secrets).</summary>
    public string? Error { get; init; }

    /// <summary>The record in one line.</summary>
    /// <returns>For example <c>Imported key … at target …</c>.</returns>
    public override string ToString() => $"{Event} key {KeyId ?? "-"} alias {Alias ?? "-"} at {Target}";
}
