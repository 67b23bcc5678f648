namespace KmsImport.Sdk;

/// <summary>The cryptographic usage of a KMS key (<c>key_usage</c>).</summary>
/// <remarks>An extensible enum: the service may add values, so any string is accepted and kept.</remarks>
public readonly partial struct KeyUsage : IEquatable<KeyUsage>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire form.</summary>
    /// <param name="value">The string the service uses.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null or empty.</exception>
    public KeyUsage(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary><c>ENCRYPT_DECRYPT</c>: encryption and decryption, the symmetric default.</summary>
    public static KeyUsage EncryptDecrypt { get; } = new("ENCRYPT_DECRYPT");

    /// <summary><c>SIGN_VERIFY</c>: signing and verification, the asymmetric default.</summary>
    public static KeyUsage SignVerify { get; } = new("SIGN_VERIFY");

    /// <summary><c>GENERATE_VERIFY_MAC</c>: MAC generation and verification (HMAC keys).</summary>
    public static KeyUsage GenerateVerifyMac { get; } = new("GENERATE_VERIFY_MAC");

    /// <summary>The wire form of this value.</summary>
    public override string ToString() => _value ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(KeyUsage other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is KeyUsage other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator ==(KeyUsage left, KeyUsage right) => left.Equals(right);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator !=(KeyUsage left, KeyUsage right) => !left.Equals(right);

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator KeyUsage(string value) => new(value);
}
