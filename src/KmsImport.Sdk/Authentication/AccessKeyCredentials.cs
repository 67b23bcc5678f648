namespace KmsImport.Sdk.Authentication;

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
