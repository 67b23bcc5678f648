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
