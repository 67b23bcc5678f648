namespace KmsImport.Sdk;

/// <summary>describe-key.</summary>
/// <param name="KeyId">The key id.</param>
public sealed record DescribeKeyRequest(string KeyId)
{
    /// <summary>An optional 36-character request serial number.</summary>
    public string? Sequence { get; init; }
}
