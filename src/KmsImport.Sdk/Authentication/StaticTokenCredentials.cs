namespace KmsImport.Sdk.Authentication;

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
