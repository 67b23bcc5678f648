namespace KmsImport.Sdk.Authentication;

/// <summary>
/// How requests are authenticated: AK/SK signature (optionally temporary, with a security token),
/// or an IAM token. Applied to every attempt afresh. <c>ToString()</c> never shows a secret.
/// </summary>
internal abstract class KmsCredentials
{
    public const string AuthorizationHeader = "Authorization";
    public const string AuthTokenHeader = "X-Auth-Token";
    public const string SecurityTokenHeader = "X-Security-Token";
    public const string ProjectIdHeader = "X-Project-Id";

    /// <summary>Where the credentials came from ("options" or "environment"), for messages.</summary>
    public required string Source { get; init; }

    /// <summary>Whether a rejected token can be replaced by asking again with forceRefresh.</summary>
    public virtual bool CanRefresh => false;

    /// <summary>Whether these are IAM tokens (so KMS.0301-0303 and 401 mean "token rejected").</summary>
    public abstract bool IsToken { get; }

    /// <summary>Adds the authentication headers to a request whose other headers and body are final.</summary>
    /// <param name="request">The request; its URI and <c>X-Project-Id</c> are set.</param>
    /// <param name="body">The exact body bytes.</param>
    /// <param name="now">The time for <c>X-Sdk-Date</c>.</param>
    /// <param name="rejectedToken">The token the service rejected on the previous attempt (replaced unless already replaced); null otherwise.</param>
    /// <param name="cancellationToken">Cancels a token provider.</param>
    public abstract ValueTask ApplyAsync(HttpRequestMessage request, byte[] body, DateTimeOffset now, string? rejectedToken, CancellationToken cancellationToken);
}

/// <summary>AK/SK, signed with <see cref="SdkHmacSha256Signer"/>; temporary credentials add <c>X-Security-Token</c>.</summary>
internal sealed class AccessKeyCredentials : KmsCredentials
{
    private readonly string _accessKey;
    private readonly string _secretKey;
    private readonly string? _securityToken;

    public AccessKeyCredentials(string accessKey, string secretKey, string? securityToken)
    {
        _accessKey = accessKey;
        _secretKey = secretKey;
        _securityToken = securityToken;
    }

    public override bool IsToken => false;

    public bool IsTemporary => _securityToken is not null;

    public override ValueTask ApplyAsync(HttpRequestMessage request, byte[] body, DateTimeOffset now, string? rejectedToken, CancellationToken cancellationToken)
    {
        Uri uri = request.RequestUri ?? throw new InvalidOperationException("The request has no URI.");
        string sdkDate = SdkHmacSha256Signer.FormatDate(now);
        string host = uri.Authority;
        request.Headers.Host = host;
        request.Headers.Remove(SdkHmacSha256Signer.DateHeader);
        request.Headers.TryAddWithoutValidation(SdkHmacSha256Signer.DateHeader, sdkDate);

        var signed = new List<KeyValuePair<string, string>>(4)
        {
            new("Host", host),
            new(SdkHmacSha256Signer.DateHeader, sdkDate),
        };
        if (request.Headers.TryGetValues(ProjectIdHeader, out IEnumerable<string>? projectIds))
        {
            signed.Add(new(ProjectIdHeader, string.Join(',', projectIds)));
        }

        if (_securityToken is not null)
        {
            request.Headers.Remove(SecurityTokenHeader);
            request.Headers.TryAddWithoutValidation(SecurityTokenHeader, _securityToken);
            signed.Add(new(SecurityTokenHeader, _securityToken));
        }

        // The signer turns the SK into bytes only for the HMAC and zeroes them.
        string signature = SdkHmacSha256Signer.ComputeSignature(
            request.Method.Method, uri.AbsolutePath, uri.Query.TrimStart('?'), signed, body, sdkDate, _secretKey, out string signedHeaders);
        request.Headers.Remove(AuthorizationHeader);
        request.Headers.TryAddWithoutValidation(AuthorizationHeader, SdkHmacSha256Signer.FormatAuthorization(_accessKey, signedHeaders, signature));
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"AK/SK ({(IsTemporary ? "temporary, " : string.Empty)}from {Source})";
}

/// <summary>A fixed IAM token, sent as <c>X-Auth-Token</c>; it cannot be refreshed.</summary>
internal sealed class StaticTokenCredentials : KmsCredentials
{
    private readonly string _token;

    public StaticTokenCredentials(string token) => _token = token;

    public override bool IsToken => true;

    public override ValueTask ApplyAsync(HttpRequestMessage request, byte[] body, DateTimeOffset now, string? rejectedToken, CancellationToken cancellationToken)
    {
        request.Headers.Remove(AuthTokenHeader);
        request.Headers.TryAddWithoutValidation(AuthTokenHeader, _token);
        return ValueTask.CompletedTask;
    }

    public override string ToString() => $"IAM token (static, from {Source})";
}

/// <summary>
/// IAM tokens from an application callback, cached until shortly before they expire (the refresh margin, or half
/// the token's lifetime for a short-lived token), and asked again when the service rejects the cached token.
/// One instance (one cache, one semaphore) per <see cref="IamTokenCredential"/>, shared by every client using it.
/// </summary>
internal sealed class TokenProviderCredentials : KmsCredentials
{
    private readonly Func<CancellationToken, ValueTask<IamToken>> _provider;
    private readonly SemaphoreSlim _refresh = new(1, 1);
    private CachedToken? _cached;

    public TokenProviderCredentials(Func<CancellationToken, ValueTask<IamToken>> provider) => _provider = provider;

    public override bool IsToken => true;

    public override bool CanRefresh => true;

    public override async ValueTask ApplyAsync(HttpRequestMessage request, byte[] body, DateTimeOffset now, string? rejectedToken, CancellationToken cancellationToken)
    {
        string token = await GetTokenAsync(now, rejectedToken, cancellationToken).ConfigureAwait(false);
        request.Headers.Remove(AuthTokenHeader);
        request.Headers.TryAddWithoutValidation(AuthTokenHeader, token);
    }

    public override string ToString() => $"IAM token (provider, from {Source})";

    // Usable unless it is due for refresh or is the very token the service just rejected (a token already replaced by
    // another caller is not replaced again: concurrent rejections cost one provider call).
    private static bool IsUsable(CachedToken? cached, DateTimeOffset now, string? rejectedToken) =>
        cached is not null && now < cached.RefreshAt && (rejectedToken is null || !string.Equals(cached.Token.Token, rejectedToken, StringComparison.Ordinal));

    private async ValueTask<string> GetTokenAsync(DateTimeOffset now, string? rejectedToken, CancellationToken cancellationToken)
    {
        CachedToken? seen = Volatile.Read(ref _cached);
        if (IsUsable(seen, now, rejectedToken))
        {
            return seen!.Token.Token;
        }

        await _refresh.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            CachedToken? current = _cached;
            if (IsUsable(current, now, rejectedToken))
            {
                return current!.Token.Token;
            }

            IamToken fresh = await _provider(cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException("The IamTokenCredential provider returned null; return an IamToken with a project-scoped token from IAM and its expiry.");
            if (fresh.ExpiresOn <= now)
            {
                throw new InvalidOperationException(
                    $"The IamTokenCredential provider returned a token that expired at {fresh.ExpiresOn:O} (now {now:O}); return a fresh project-scoped token from IAM.");
            }

            // A token living less than twice the margin is used for half its lifetime, not refetched on every request.
            TimeSpan margin = TimeSpan.FromTicks(Math.Min(IamTokenCredential.RefreshMargin.Ticks, (fresh.ExpiresOn - now).Ticks / 2));
            Volatile.Write(ref _cached, new CachedToken(fresh, fresh.ExpiresOn - margin));
            return fresh.Token;
        }
        finally
        {
            _refresh.Release();
        }
    }

    private sealed record CachedToken(IamToken Token, DateTimeOffset RefreshAt);
}
