namespace KmsImport.Sdk.Authentication;

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
