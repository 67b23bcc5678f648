using KmsImport.Sdk.Authentication;

namespace KmsImport.Sdk;

/// <summary>
/// An access key (AK) and secret key (SK): every request is signed with <c>SDK-HMAC-SHA256</c>.
/// Temporary AK/SK come with a security token, sent and signed as <c>X-Security-Token</c>.
/// </summary>
/// <remarks>Immutable. <see cref="ToString"/> shows neither key nor token.</remarks>
public sealed class AccessKeyCredential : KmsCredential
{
    private readonly string _accessKey;
    private readonly string _secretKey;
    private readonly string? _securityToken;

    /// <summary>Creates the credential.</summary>
    /// <param name="accessKey">The access key (AK).</param>
    /// <param name="secretKey">The secret key (SK). A secret.</param>
    /// <param name="securityToken">The security token of temporary AK/SK; null for permanent AK/SK. A secret.</param>
    /// <exception cref="ArgumentNullException"><paramref name="accessKey"/> or <paramref name="secretKey"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="accessKey"/> or <paramref name="secretKey"/> is empty or blank, or <paramref name="securityToken"/> is empty or blank (pass null instead).</exception>
    public AccessKeyCredential(string accessKey, string secretKey, string? securityToken = null)
    {
        // The messages name the parameter, never its value.
        ArgumentException.ThrowIfNullOrWhiteSpace(accessKey);
        ArgumentException.ThrowIfNullOrWhiteSpace(secretKey);
        if (securityToken is not null && string.IsNullOrWhiteSpace(securityToken))
        {
            throw new ArgumentException("The security token is empty; pass null for permanent AK/SK.", nameof(securityToken));
        }

        _accessKey = accessKey.Trim();
        _secretKey = secretKey.Trim();
        _securityToken = securityToken?.Trim();
    }

    /// <summary>Whether these are temporary AK/SK (with a security token).</summary>
    public bool IsTemporary => _securityToken is not null;

    /// <summary>The kind of credential, without any key or token.</summary>
    /// <returns><c>AccessKeyCredential { AccessKey = ***, SecretKey = *** }</c>, with <c>temporary</c> for temporary AK/SK.</returns>
    public override string ToString() => $"AccessKeyCredential {{ AccessKey = ***, SecretKey = ***{(IsTemporary ? ", SecurityToken = ***" : string.Empty)} }}";

    internal override KmsCredentials Resolve(IEnvironmentVariableReader environment, List<string> failures) =>
        new AccessKeyCredentials(_accessKey, _secretKey, _securityToken) { Source = "AccessKeyCredential" };
}
