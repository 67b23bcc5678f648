using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace KmsImport.Sdk.Testing.Server;

/// <summary>
/// Verifies a request the way the API gateway does: an <c>X-Auth-Token</c> against the configured
/// tokens, or an <c>SDK-HMAC-SHA256</c> signature (<see cref="GatewaySignature"/>) against the
/// configured AK/SK, with <c>X-Sdk-Date</c> within the allowed skew, the access key's lockout, the
/// security token of temporary credentials, and the project id in the path.
/// </summary>
/// <remarks>
/// <para>
/// Exactly the headers the client names in <c>SignedHeaders</c> are verified, whatever their names
/// (<c>content-type</c>, names with <c>_</c>): each must be present. <c>host</c> is not required
/// (Huawei's Go SDK does not sign it). <c>x-sdk-date</c> must be named: Huawei's signing guide says
/// X-Sdk-Date must take part in the signature and other headers are optional, and every official
/// SDK signs it; a date the signature does not cover could be replayed with a fresh one.
/// </para>
/// <para>
/// Failures the access key can be blamed for (a header named but absent, a missing or wrong
/// security token, a wrong signature) count towards the lockout; malformed headers, unknown access
/// keys, clock skew and another project do not.
/// </para>
/// </remarks>
internal sealed class RequestAuthenticator(
    IReadOnlyDictionary<string, DateTimeOffset> authTokens,
    TimeSpan maxClockSkew,
    string projectId,
    string accessKey,
    string secretKey,
    string? securityToken,
    AccessKeyLockout lockout,
    TimeProvider timeProvider)
{
    /// <summary>The header that carries the security token of temporary AK/SK.</summary>
    public const string SecurityTokenHeader = "X-Security-Token";

    private const string Prefix = "Incorrect IAM authentication information: ";

    /// <summary>Null when the request is authentic; otherwise the failure to answer with.</summary>
    public AuthenticationFailure? Authenticate(HttpContext context, string pathProjectId, ReadOnlySpan<byte> body)
    {
        HttpRequest request = context.Request;
        if (request.Headers.TryGetValue("X-Auth-Token", out var tokenValues))
        {
            return AuthenticateToken(tokenValues.ToString(), pathProjectId);
        }

        if (!request.Headers.TryGetValue("Authorization", out var authorization))
        {
            return Gateway(GatewayErrors.AuthenticationFailed, Prefix + "no Authorization or X-Auth-Token header");
        }

        if (!GatewaySignature.TryParseAuthorization(authorization.ToString(), out string ak, out string signedHeaders, out string signature))
        {
            return Gateway(GatewayErrors.AuthenticationFailed, Prefix + "the Authorization header is not 'SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...'");
        }

        if (!FixedTimeEquals(ak, accessKey))
        {
            return Gateway(GatewayErrors.AuthenticationFailed, Prefix + "Get secretKey failed, err:ak not exist");
        }

        if (lockout.IsLocked)
        {
            return Gateway(GatewayErrors.AccessKeyLocked, GatewayErrors.AccessKeyLockedMessage);
        }

        string sdkDate = request.Headers[GatewaySignature.DateHeader].ToString();
        if (!GatewaySignature.TryParseDate(sdkDate, out DateTimeOffset signedAt))
        {
            return Gateway(GatewayErrors.AuthenticationFailed, Prefix + "X-Sdk-Date is missing or not yyyyMMddTHHmmssZ");
        }

        if ((timeProvider.GetUtcNow() - signedAt).Duration() > maxClockSkew)
        {
            return Gateway(GatewayErrors.ClockSkew, Prefix + string.Create(CultureInfo.InvariantCulture, $"X-Sdk-Date is more than {maxClockSkew.TotalMinutes:0.##} minutes away from the server time"));
        }

        if (!GatewaySignature.TryParseSignedHeaders(signedHeaders, out string[] names))
        {
            return Gateway(GatewayErrors.AuthenticationFailed, Prefix + "SignedHeaders is not a ';'-separated list of distinct header names");
        }

        if (!names.Contains(GatewaySignature.DateHeader, StringComparer.OrdinalIgnoreCase))
        {
            return Gateway(GatewayErrors.AuthenticationFailed, Prefix + "SignedHeaders must include x-sdk-date");
        }

        var headers = new List<KeyValuePair<string, string>>(names.Length);
        foreach (string name in names)
        {
            if (!request.Headers.TryGetValue(name, out var values))
            {
                return Failed($"signed header '{name}' is not in the request");
            }

            headers.Add(new(name, values.ToString()));
        }

        if (securityToken is not null)
        {
            if (!names.Contains(SecurityTokenHeader, StringComparer.OrdinalIgnoreCase))
            {
                return Failed("temporary credentials need X-Security-Token, sent and signed");
            }

            if (!FixedTimeEquals(request.Headers[SecurityTokenHeader].ToString(), securityToken))
            {
                return Failed("the security token is invalid for this access key");
            }
        }

        string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        int question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        string path = question < 0 ? rawTarget : rawTarget[..question];
        string query = question < 0 ? string.Empty : rawTarget[(question + 1)..];
        string canonicalRequest = GatewaySignature.CanonicalRequest(request.Method, path, query, headers, signedHeaders, body);
        string expected = GatewaySignature.Sign(secretKey, GatewaySignature.StringToSign(sdkDate, canonicalRequest));
        if (!GatewaySignature.SignaturesEqual(expected, signature))
        {
            return Failed("verify aksk signature fail");
        }

        lockout.RecordSuccess();
        if (!string.Equals(pathProjectId, projectId, StringComparison.Ordinal)
            || (request.Headers.TryGetValue("X-Project-Id", out var headerProject) && !string.Equals(headerProject.ToString(), pathProjectId, StringComparison.Ordinal)))
        {
            return Gateway(GatewayErrors.AuthenticationFailed, Prefix + "the credentials are not valid for this project id");
        }

        return null;
    }

    private AuthenticationFailure Failed(string reason)
    {
        lockout.RecordFailure();
        return Gateway(GatewayErrors.AuthenticationFailed, Prefix + reason);
    }

    private AuthenticationFailure? AuthenticateToken(string token, string pathProjectId)
    {
        if (!authTokens.TryGetValue(token, out DateTimeOffset expiresOn) || !string.Equals(pathProjectId, projectId, StringComparison.Ordinal))
        {
            return new AuthenticationFailure(403, GatewayErrors.AuthTokenInvalid, "the X-Auth-Token is invalid for this project", GatewayShape: false);
        }

        return timeProvider.GetUtcNow() >= expiresOn
            ? new AuthenticationFailure(403, GatewayErrors.AuthTokenExpired, "the X-Auth-Token has expired", GatewayShape: false)
            : null;
    }

    private static AuthenticationFailure Gateway(string code, string message) => new(401, code, message, GatewayShape: true);

    private static bool FixedTimeEquals(string left, string right) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));
}
