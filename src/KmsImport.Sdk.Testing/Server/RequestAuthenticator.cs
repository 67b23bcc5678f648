using System.Security.Cryptography;
using System.Text;
using KmsImport.Sdk.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace KmsImport.Sdk.Testing.Server;

/// <summary>
/// Verifies a request the way the API gateway does: an <c>X-Auth-Token</c> against the configured
/// tokens, or an <c>SDK-HMAC-SHA256</c> signature against the configured AK/SK with
/// <c>X-Sdk-Date</c> within the allowed skew, and the project id in the path.
/// </summary>
internal sealed class RequestAuthenticator(IReadOnlyDictionary<string, DateTimeOffset> authTokens, TimeSpan maxClockSkew, string projectId, string accessKey, string secretKey, TimeProvider timeProvider)
{
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
            return Gateway(KmsErrorCodes.SignatureInvalid, "Incorrect IAM authentication information: no Authorization or X-Auth-Token header");
        }

        if (!SdkHmacSha256Signer.TryParseAuthorization(authorization.ToString(), out string ak, out string signedHeaders, out string signature))
        {
            return Gateway(KmsErrorCodes.SignatureInvalid, "Incorrect IAM authentication information: the Authorization header is not 'SDK-HMAC-SHA256 Access=..., SignedHeaders=..., Signature=...'");
        }

        string sdkDate = request.Headers[SdkHmacSha256Signer.DateHeader].ToString();
        if (!SdkHmacSha256Signer.TryParseDate(sdkDate, out DateTimeOffset signedAt))
        {
            return Gateway(KmsErrorCodes.SignatureInvalid, "Incorrect IAM authentication information: X-Sdk-Date is missing or not yyyyMMddTHHmmssZ");
        }

        if ((timeProvider.GetUtcNow() - signedAt).Duration() > maxClockSkew)
        {
            return Gateway(KmsErrorCodes.ClockSkew, "Incorrect IAM authentication information: X-Sdk-Date is more than 15 minutes away from the server time");
        }

        if (!FixedTimeEquals(ak, accessKey))
        {
            return Gateway(KmsErrorCodes.SignatureInvalid, "Incorrect IAM authentication information: unknown access key");
        }

        string[] names = signedHeaders.Split(';');
        if (!names.Contains("host", StringComparer.Ordinal) || !names.Contains("x-sdk-date", StringComparer.Ordinal))
        {
            return Gateway(KmsErrorCodes.SignatureInvalid, "Incorrect IAM authentication information: SignedHeaders must include host and x-sdk-date");
        }

        var headers = new List<KeyValuePair<string, string>>(names.Length);
        foreach (string name in names)
        {
            if (name.Length == 0 || !SdkHmacSha256Signer.IsSignable(name) || !request.Headers.TryGetValue(name, out var values))
            {
                return Gateway(KmsErrorCodes.SignatureInvalid, $"Incorrect IAM authentication information: signed header '{name}' is missing or cannot be signed");
            }

            headers.Add(new(name, values.ToString()));
        }

        string rawTarget = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        int question = rawTarget.IndexOf('?', StringComparison.Ordinal);
        string path = question < 0 ? rawTarget : rawTarget[..question];
        string query = question < 0 ? string.Empty : rawTarget[(question + 1)..];
        string expected = SdkHmacSha256Signer.ComputeSignature(request.Method, path, query, headers, body, sdkDate, secretKey, out string expectedSignedHeaders);
        if (!string.Equals(expectedSignedHeaders, signedHeaders, StringComparison.Ordinal) || !FixedTimeEquals(expected, signature))
        {
            return Gateway(KmsErrorCodes.SignatureInvalid, "Incorrect IAM authentication information: verify aksk signature fail");
        }

        if (!string.Equals(pathProjectId, projectId, StringComparison.Ordinal)
            || (request.Headers.TryGetValue("X-Project-Id", out var headerProject) && !string.Equals(headerProject.ToString(), pathProjectId, StringComparison.Ordinal)))
        {
            return Gateway(KmsErrorCodes.SignatureInvalid, "Incorrect IAM authentication information: the credentials are not valid for this project id");
        }

        return null;
    }

    private AuthenticationFailure? AuthenticateToken(string token, string pathProjectId)
    {
        if (!authTokens.TryGetValue(token, out DateTimeOffset expiresOn) || !string.Equals(pathProjectId, projectId, StringComparison.Ordinal))
        {
            return new AuthenticationFailure(403, KmsErrorCodes.AuthTokenInvalid, "the X-Auth-Token is invalid for this project", GatewayShape: false);
        }

        return timeProvider.GetUtcNow() >= expiresOn
            ? new AuthenticationFailure(403, KmsErrorCodes.AuthTokenExpired, "the X-Auth-Token has expired", GatewayShape: false)
            : null;
    }

    private static AuthenticationFailure Gateway(string code, string message) => new(401, code, message, GatewayShape: true);

    private static bool FixedTimeEquals(string left, string right) =>
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(left), Encoding.UTF8.GetBytes(right));
}

/// <summary>An authentication failure: status, code, message, and which error shape to use.</summary>
internal sealed record AuthenticationFailure(int Status, string Code, string Message, bool GatewayShape);
