namespace KmsImport.Sdk.Testing.Server;

/// <summary>
/// The API gateway's and IAM's error codes as the emulator answers them, stated here on purpose
/// rather than taken from the SDK, so that the emulator is a check on the client's table and not
/// a copy of it.
/// </summary>
internal static class GatewayErrors
{
    /// <summary>404 or 405: no such API (path or method).</summary>
    public const string ApiNotFound = "APIG.0101";

    /// <summary>413: the request body is larger than the gateway accepts.</summary>
    public const string RequestTooLarge = "APIG.0201";

    /// <summary>401: signature, access key, security token or project invalid; also a locked access key.</summary>
    public const string AuthenticationFailed = "APIG.0301";

    /// <summary>401: <c>X-Sdk-Date</c> more than the allowed skew (15 minutes) from the server's clock.</summary>
    public const string ClockSkew = "APIG.0303";

    /// <summary>429: throttled by the gateway.</summary>
    public const string Throttled = "APIG.0308";

    /// <summary>
    /// The code of a request from an access key locked after too many failed signatures. The gateway
    /// answers the usual <c>APIG.0301</c> with the message
    /// "Incorrect IAM authentication information: AK access failed to reach the limit,forbidden."
    /// (API Gateway FAQ "Common Errors Related to IAM Authentication Information", Huawei Cloud and
    /// docs.otc.t-systems.com: "AK/SK authentication fails for more than five consecutive times, and
    /// the AK/SK pair is locked for five minutes"). The request signing guide's copy of that page shows
    /// <c>APIGW.0301</c>; the KMS contract uses the <c>APIG.</c> prefix.
    /// </summary>
    public const string AccessKeyLocked = AuthenticationFailed;

    /// <summary>The message of <see cref="AccessKeyLocked"/>, as the gateway words it.</summary>
    public const string AccessKeyLockedMessage = "Incorrect IAM authentication information: AK access failed to reach the limit,forbidden.";

    /// <summary>403: the <c>X-Auth-Token</c> is invalid for this project.</summary>
    public const string AuthTokenInvalid = "KMS.0301";

    /// <summary>403: the <c>X-Auth-Token</c> has expired.</summary>
    public const string AuthTokenExpired = "KMS.0303";
}
