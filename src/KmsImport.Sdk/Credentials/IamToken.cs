namespace KmsImport.Sdk;

/// <summary>An IAM token and when it expires, as an <see cref="IamTokenCredential"/> provider returns it.</summary>
/// <remarks><see cref="ToString"/> shows the expiry, never the token.</remarks>
public sealed class IamToken
{
    /// <summary>Creates the token.</summary>
    /// <param name="token">The token (the <c>X-Subject-Token</c> IAM returned). A secret.</param>
    /// <param name="expiresOn">When IAM says it expires (<c>expires_at</c>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="token"/> is empty or blank.</exception>
    public IamToken(string token, DateTimeOffset expiresOn)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        Token = token;
        ExpiresOn = expiresOn;
    }

    /// <summary>The token. A secret: do not log it.</summary>
    public string Token { get; }

    /// <summary>When the token expires.</summary>
    public DateTimeOffset ExpiresOn { get; }

    /// <summary>The expiry, without the token.</summary>
    /// <returns><c>IamToken { Token = ***, ExpiresOn = ... }</c>.</returns>
    public override string ToString() => $"IamToken {{ Token = ***, ExpiresOn = {ExpiresOn.ToString("O", System.Globalization.CultureInfo.InvariantCulture)} }}";
}
