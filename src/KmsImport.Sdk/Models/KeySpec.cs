namespace KmsImport.Sdk;

/// <summary>The algorithm and size of a KMS key (<c>key_spec</c>).</summary>
/// <remarks>An extensible enum: the service may add values, so any string is accepted and kept.</remarks>
public readonly partial struct KeySpec : IEquatable<KeySpec>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire form.</summary>
    /// <param name="value">The string the service uses.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null or empty.</exception>
    public KeySpec(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary><c>AES_256</c>: AES with a 256-bit key; importable (32 bytes of material).</summary>
    public static KeySpec Aes256 { get; } = new("AES_256");

    /// <summary><c>SM4</c>: SM4 with a 128-bit key; importable in Huawei's Chinese regions (16 bytes of material, wrapped with SM2_ENCRYPT).</summary>
    public static KeySpec Sm4 { get; } = new("SM4");

    /// <summary><c>RSA_2048</c>: RSA with a 2048-bit modulus; importable.</summary>
    public static KeySpec Rsa2048 { get; } = new("RSA_2048");

    /// <summary><c>RSA_3072</c>: RSA with a 3072-bit modulus; importable.</summary>
    public static KeySpec Rsa3072 { get; } = new("RSA_3072");

    /// <summary><c>RSA_4096</c>: RSA with a 4096-bit modulus; importable.</summary>
    public static KeySpec Rsa4096 { get; } = new("RSA_4096");

    /// <summary><c>EC_P256</c>: ECC on NIST P-256; importable.</summary>
    public static KeySpec EcP256 { get; } = new("EC_P256");

    /// <summary><c>EC_P384</c>: ECC on NIST P-384; importable.</summary>
    public static KeySpec EcP384 { get; } = new("EC_P384");

    /// <summary><c>SECP256K1</c>: ECC on secp256k1; not listed as importable by the service, so refused for import (the key loaders recognise it).</summary>
    public static KeySpec Secp256k1 { get; } = new("SECP256K1");

    /// <summary><c>SM2</c>: SM2 on the curve sm2p256v1; importable in Huawei's Chinese regions (wrapped with SM2_ENCRYPT and RFC 5649 over SM4).</summary>
    public static KeySpec Sm2 { get; } = new("SM2");

    /// <summary><c>ED25519</c>: Ed25519; not importable.</summary>
    public static KeySpec Ed25519 { get; } = new("ED25519");

    /// <summary><c>HMAC_256</c>: HMAC-SHA256; importable (32 bytes of material).</summary>
    public static KeySpec Hmac256 { get; } = new("HMAC_256");

    /// <summary><c>HMAC_384</c>: HMAC-SHA384; importable (48 bytes of material).</summary>
    public static KeySpec Hmac384 { get; } = new("HMAC_384");

    /// <summary><c>HMAC_512</c>: HMAC-SHA512; importable (64 bytes of material).</summary>
    public static KeySpec Hmac512 { get; } = new("HMAC_512");

    /// <summary><c>HMAC_SM3</c>: HMAC-SM3; import is not documented, so refused.</summary>
    public static KeySpec HmacSm3 { get; } = new("HMAC_SM3");

    /// <summary>The wire form of this value.</summary>
    public override string ToString() => _value ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(KeySpec other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is KeySpec other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator ==(KeySpec left, KeySpec right) => left.Equals(right);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator !=(KeySpec left, KeySpec right) => !left.Equals(right);

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator KeySpec(string value) => new(value);
}
