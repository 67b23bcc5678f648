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

    /// <summary>
    /// The key as a migration step has just described it (pending import), so the import's pre-flight checks that
    /// answer instead of asking describe-key a second time. Ignored when another import of the key in this client
    /// was under way, or for another key id: then the pre-flight describes the key afresh. Internal: callers
    /// outside the SDK always get the fresh describe-key.
    /// </summary>
    internal KeyDetails? DescribedKey { get; init; }

    /// <summary>Options are equal when their settings are; a described key is a hint, not a setting.</summary>
    /// <param name="other">The options to compare with.</param>
    /// <returns>Whether both hold the same expiry and wrapping algorithm.</returns>
    public bool Equals(ImportKeyMaterialOptions? other) =>
        other is not null && Expiry == other.Expiry && WrappingAlgorithm == other.WrappingAlgorithm;

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(Expiry, WrappingAlgorithm);
}
