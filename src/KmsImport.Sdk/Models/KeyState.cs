namespace KmsImport.Sdk;

/// <summary>The state of a KMS key (<c>key_state</c>). Unknown values are kept, never thrown.</summary>
/// <remarks>An extensible enum: the service may add values, so any string is accepted and kept.</remarks>
public readonly partial struct KeyState : IEquatable<KeyState>
{
    private readonly string? _value;

    /// <summary>Creates a value from its wire form.</summary>
    /// <param name="value">The string the service uses.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is null or empty.</exception>
    public KeyState(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        _value = value;
    }

    /// <summary><c>1</c>: pending activation.</summary>
    public static KeyState PendingActivation { get; } = new("1");

    /// <summary><c>2</c>: enabled; a successful import leaves a key here.</summary>
    public static KeyState Enabled { get; } = new("2");

    /// <summary><c>3</c>: disabled.</summary>
    public static KeyState Disabled { get; } = new("3");

    /// <summary><c>4</c>: scheduled for deletion.</summary>
    public static KeyState PendingDeletion { get; } = new("4");

    /// <summary><c>5</c>: waiting for key material to be imported.</summary>
    public static KeyState PendingImport { get; } = new("5");

    /// <summary><c>7</c>: frozen (the account is in arrears or the service must be renewed); nothing can be imported.</summary>
    public static KeyState Frozen { get; } = new("7");

    /// <summary>The wire form of this value.</summary>
    public override string ToString() => _value ?? string.Empty;

    /// <inheritdoc/>
    public bool Equals(KeyState other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is KeyState other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator ==(KeyState left, KeyState right) => left.Equals(right);

    /// <summary>Compares two values ordinally.</summary>
    public static bool operator !=(KeyState left, KeyState right) => !left.Equals(right);

    /// <summary>Converts a wire string to a value.</summary>
    /// <param name="value">The wire string.</param>
    public static implicit operator KeyState(string value) => new(value);
}
