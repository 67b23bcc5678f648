namespace KmsImport.Sdk;

/// <summary>Options of <see cref="KeyReimportExtensions.ReimportAsync"/>.</summary>
public sealed class ReimportOptions
{
    /// <summary>
    /// The fingerprint the material must have, <c>sha256:HEX</c> or 64 hex characters (as printed
    /// when it was first imported); checked before anything is sent. Required with
    /// <see cref="ExtendExpiry"/>. <value>Default null: not checked.</value>
    /// </summary>
    public string? ExpectedFingerprint { get; init; }

    /// <summary>When the material expires after the re-import. <value>Default never.</value></summary>
    public MaterialExpiry Expiry { get; init; } = MaterialExpiry.Never;

    /// <summary>
    /// When the key is Enabled: delete its material and import the same material with
    /// <see cref="Expiry"/>. Without it, an Enabled key is refused. <value>Default false.</value>
    /// </summary>
    public bool ExtendExpiry { get; init; }

    /// <summary>The wrapping algorithm. <value>Default RSAES_OAEP_SHA_256.</value></summary>
    public WrappingAlgorithm WrappingAlgorithm { get; init; } = WrappingAlgorithm.RsaesOaepSha256;
}
