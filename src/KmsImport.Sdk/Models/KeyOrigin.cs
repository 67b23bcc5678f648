namespace KmsImport.Sdk;

/// <summary>Where a key's material comes from (<c>origin</c>).</summary>
/// <remarks>An extensible enum: the service may add values, so any string is accepted and kept.</remarks>
public readonly partial struct KeyOrigin : IEquatable<KeyOrigin>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire form.</summary>
    /// <param name="value">The string the service uses.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null or empty.</exception>
    public KeyOrigin(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary><c>kms</c>: KMS generates the material.</summary>
    public static KeyOrigin Kms { get; } = new("kms");

    /// <summary><c>external</c>: the material is imported by the user (bring your own key).</summary>
    public static KeyOrigin External { get; } = new("external");

    /// <summary>The wire form of this value.</summary>
    public override string ToString() => _value ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(KeyOrigin other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is KeyOrigin other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator ==(KeyOrigin left, KeyOrigin right) => left.Equals(right);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator !=(KeyOrigin left, KeyOrigin right) => !left.Equals(right);

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator KeyOrigin(string value) => new(value);
}
