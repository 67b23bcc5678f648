namespace KmsImport.Sdk;

/// <summary>How key material is encrypted under the wrapping public key (<c>wrapping_algorithm</c>).</summary>
/// <remarks>An extensible enum: the service may add values, so any string is accepted and kept.</remarks>
public readonly partial struct WrappingAlgorithm : IEquatable<WrappingAlgorithm>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire form.</summary>
    /// <param name="value">The string the service uses.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null or empty.</exception>
    public WrappingAlgorithm(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary><c>RSAES_OAEP_SHA_256</c>: RSA-OAEP with SHA-256 and MGF1-SHA-256; supported in every region and the default.</summary>
    public static WrappingAlgorithm RsaesOaepSha256 { get; } = new("RSAES_OAEP_SHA_256");

    /// <summary><c>RSAES_OAEP_SHA_1</c>: RSA-OAEP with SHA-1 and MGF1-SHA-1; legacy, used only on explicit opt-in (<see cref="KeyImportClientOptions.AllowLegacyWrappingAlgorithms"/>).</summary>
    public static WrappingAlgorithm RsaesOaepSha1 { get; } = new("RSAES_OAEP_SHA_1");

    /// <summary><c>RSAES_PKCS1_V1_5</c>: RSA PKCS#1 v1.5 (padding-oracle prone); legacy, used only on explicit opt-in and never for private keys.</summary>
    public static WrappingAlgorithm RsaesPkcs1V15 { get; } = new("RSAES_PKCS1_V1_5");

    /// <summary><c>SM2_ENCRYPT</c>: SM2 public-key encryption with SM3 (GM/T 0009 DER ciphertext); Huawei's Chinese regions, for SM4 and SM2 material.</summary>
    public static WrappingAlgorithm Sm2Encrypt { get; } = new("SM2_ENCRYPT");

    /// <summary>The wire form of this value.</summary>
    public override string ToString() => _value ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(WrappingAlgorithm other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is WrappingAlgorithm other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator ==(WrappingAlgorithm left, WrappingAlgorithm right) => left.Equals(right);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator !=(WrappingAlgorithm left, WrappingAlgorithm right) => !left.Equals(right);

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator WrappingAlgorithm(string value) => new(value);
}
