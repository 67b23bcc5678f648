namespace KmsImport.Sdk;

/// <summary>get-parameters-for-import.</summary>
/// <param name="KeyId">The key id.</param>
public sealed record GetParametersForImportRequest(string KeyId)
{
    /// <summary>The wrapping algorithm; RSAES_OAEP_SHA_256 by default.</summary>
    public WrappingAlgorithm WrappingAlgorithm { get; init; } = WrappingAlgorithm.RsaesOaepSha256;

    /// <summary>An optional 36-character request serial number.</summary>
    public string? Sequence { get; init; }
}
