namespace KmsImport.Sdk;

/// <summary>get-publickey: the public key of an asymmetric key.</summary>
/// <param name="KeyId">The key id.</param>
public sealed record GetPublicKeyRequest(string KeyId)
{
    /// <summary>An optional 36-character request serial number.</summary>
    public string? Sequence { get; init; }
}
