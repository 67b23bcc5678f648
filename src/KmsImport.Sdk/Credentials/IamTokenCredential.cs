using KmsImport.Sdk.Authentication;

namespace KmsImport.Sdk;

/// <summary>
/// An IAM token, sent as <c>X-Auth-Token</c> instead of an AK/SK signature: a fixed token, or a
/// provider the client asks for a token, caches until <see cref="RefreshMargin"/> before the token
/// expires, and asks again once when the service rejects the token (HTTP 401, or 403 with
/// <c>KMS.0301</c>-<c>KMS.0303</c>) before it sends the request once more.
/// </summary>
/// <remarks>Immutable; one instance can be shared by clients. <see cref="ToString"/> never shows a token.</remarks>
public sealed class IamTokenCredential : KmsCredential
{
    /// <summary>How long before its expiry a provided token is replaced: 5 minutes.</summary>
    public static readonly TimeSpan RefreshMargin = TimeSpan.FromMinutes(5);

    private readonly string? _token;
    private readonly Func<CancellationToken, ValueTask<IamToken>>? _provider;

    // One token cache and one refresh lock per credential, shared by every client built with it.
    private readonly TokenProviderCredentials? _providerCredentials;

    /// <summary>A fixed IAM token; it cannot be refreshed, so a rejected token fails the call.</summary>
    /// <param name="token">The project-scoped IAM token. A secret.</param>
    /// <exception cref="ArgumentNullException"><paramref name="token"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="token"/> is empty or blank.</exception>
    public IamTokenCredential(string token)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(token);
        _token = token.Trim();
    }

    /// <summary>IAM tokens from a provider, for example a call to IAM's <c>POST /v3/auth/tokens</c>.</summary>
    /// <param name="tokenProvider">
    /// Returns a project-scoped token and when it expires. Called when there is no cached token, when the
    /// cached one is within <see cref="RefreshMargin"/> (or, for a token living less than twice that, half its lifetime)
    /// of its expiry, and once after the service rejected it, however many requests saw it rejected.
    /// Calls never overlap, across every client that uses this credential. An exception it throws propagates to the caller of the client unchanged.
    /// </param>
    /// <exception cref="ArgumentNullException"><paramref name="tokenProvider"/> is null.</exception>
    public IamTokenCredential(Func<CancellationToken, ValueTask<IamToken>> tokenProvider)
    {
        ArgumentNullException.ThrowIfNull(tokenProvider);
        _provider = tokenProvider;
        _providerCredentials = new TokenProviderCredentials(tokenProvider) { Source = "IamTokenCredential" };
    }

    /// <summary>Whether the tokens come from a provider (and can be refreshed).</summary>
    public bool HasProvider => _provider is not null;

    /// <summary>The kind of credential, without the token.</summary>
    /// <returns><c>IamTokenCredential { static }</c> or <c>IamTokenCredential { provider }</c>.</returns>
    public override string ToString() => $"IamTokenCredential {{ {(HasProvider ? "provider" : "static")} }}";

    internal override KmsCredentials Resolve(IEnvironmentVariableReader environment, List<string> failures) => _providerCredentials is not null
        ? _providerCredentials
        : new StaticTokenCredentials(_token!) { Source = "IamTokenCredential" };
}
