namespace KmsImport.Sdk;

/// <summary>Options for one import.</summary>
public sealed record ImportKeyMaterialOptions
{
    /// <summary>When symmetric material expires; <see cref="MaterialExpiry.Never"/> by default. Must be never for private keys.</summary>
    public MaterialExpiry Expiry { get; init; } = MaterialExpiry.Never;

    /// <summary>
    /// The wrapping algorithm; RSAES_OAEP_SHA_256 by default. SM4 and SM2 material needs <see cref="WrappingAlgorithm.Sm2Encrypt"/>;
    /// the legacy algorithms need <see cref="KeyImportClientOptions.AllowLegacyWrappingAlgorithms"/>.
    /// </summary>
    public WrappingAlgorithm WrappingAlgorithm { get; init; } = WrappingAlgorithm.RsaesOaepSha256;
}
