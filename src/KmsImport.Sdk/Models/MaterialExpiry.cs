namespace KmsImport.Sdk;

/// <summary>
/// When imported symmetric material expires: never, at a time, or after a duration from the import.
/// Sent to the service as Unix epoch seconds. Asymmetric material never expires.
/// </summary>
public readonly struct MaterialExpiry : IEquatable<MaterialExpiry>
{
    private readonly DateTimeOffset? _at;
    private readonly TimeSpan? _after;

    private MaterialExpiry(DateTimeOffset? at, TimeSpan? after)
    {
        _at = at;
        _after = after;
    }

    /// <summary>The material never expires (the default).</summary>
    public static MaterialExpiry Never => default;

    /// <summary>Whether the material never expires.</summary>
    public bool IsNever => _at is null && _after is null;

    /// <summary>The material expires at <paramref name="time"/>, which must be in the future when importing.</summary>
    /// <param name="time">The expiry time.</param>
    /// <returns>The expiry.</returns>
    public static MaterialExpiry At(DateTimeOffset time) => new(time, null);

    /// <summary>The material expires <paramref name="duration"/> after the import.</summary>
    /// <param name="duration">A positive duration.</param>
    /// <returns>The expiry.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="duration"/> is zero or negative.</exception>
    public static MaterialExpiry After(TimeSpan duration)
    {
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(duration, TimeSpan.Zero);
        return new(null, duration);
    }

    /// <summary>The absolute expiry time judged with <paramref name="timeProvider"/>, or null for never.</summary>
    /// <param name="timeProvider">The clock.</param>
    /// <returns>The time, or null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="timeProvider"/> is null.</exception>
    public DateTimeOffset? ResolveExpiresOn(TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(timeProvider);
        return _at ?? (_after is { } after ? timeProvider.GetUtcNow() + after : null);
    }

    /// <inheritdoc/>
    public bool Equals(MaterialExpiry other) => _at == other._at && _after == other._after;

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is MaterialExpiry other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => HashCode.Combine(_at, _after);

    /// <summary>"never", "at {time}" or "after {duration}".</summary>
    public override string ToString() => _at is { } at ? $"at {at:O}" : _after is { } after ? $"after {after}" : "never";

    /// <summary>Compares two expiries.</summary>
    public static bool operator ==(MaterialExpiry left, MaterialExpiry right) => left.Equals(right);

    /// <summary>Compares two expiries.</summary>
    public static bool operator !=(MaterialExpiry left, MaterialExpiry right) => !left.Equals(right);
}
