namespace KmsImport.Sdk;

/// <summary>
/// The KMS service (or the API gateway in front of it) answered a request with an error.
/// </summary>
/// <remarks>
/// The message holds the operation, the HTTP status, the error code, the service's message and the
/// request id; never a request body, a token or an authentication header. Text from the service (message,
/// error code, request id) is cleaned of control characters and terminal escape sequences, and the message
/// is cut at 300 characters (ending in "..." and its full length), so that a hostile or broken peer cannot
/// flood or rewrite a log or a terminal.
/// <see cref="Status"/> is 0 when no response was received (connection lost, attempt or total
/// timeout): the service may or may not have processed the request.
/// </remarks>
public class KmsRequestFailedException : Exception
{
    /// <summary>Creates an exception for a failed KMS request.</summary>
    /// <param name="status">The HTTP status code (0 when no response was received).</param>
    /// <param name="errorCode">The service's error code, for example <c>KMS.2601</c> or <c>APIG.0301</c>.</param>
    /// <param name="serviceMessage">The service's error message.</param>
    /// <param name="requestId">The <c>X-Request-Id</c> of the response, for support.</param>
    /// <param name="operation">The KMS operation, for example <c>import-key-material</c>.</param>
    /// <param name="innerException">The underlying exception, if any.</param>
    public KmsRequestFailedException(int status, string? errorCode, string? serviceMessage, string? requestId, string? operation = null, Exception? innerException = null)
        : this(status, errorCode, serviceMessage, requestId, operation, innerException, ServiceText.MaxMessageLength)
    {
    }

    // For messages the SDK writes itself (which quote service text already cut at 300 characters by
    // the transport): cleaned the same way, with room for the SDK's own explanation.
    internal KmsRequestFailedException(int status, string? errorCode, string? message, string? requestId, string? operation, Exception? innerException, int maxMessageLength)
        : base(FormatMessage(status, ServiceText.Clean(errorCode, ServiceText.MaxCodeLength), ServiceText.Clean(message, maxMessageLength), ServiceText.Clean(requestId, ServiceText.MaxRequestIdLength), operation), innerException)
    {
        Status = status;
        ErrorCode = ServiceText.Clean(errorCode, ServiceText.MaxCodeLength);
        ServiceMessage = ServiceText.Clean(message, maxMessageLength);
        RequestId = ServiceText.Clean(requestId, ServiceText.MaxRequestIdLength);
        Operation = operation;
    }

    /// <summary>Creates an exception whose message the SDK composed (it may quote bounded service text).</summary>
    internal static KmsRequestFailedException ClientComposed(int status, string? errorCode, string message, string? requestId, string? operation, Exception? innerException = null) =>
        new(status, errorCode, message, requestId, operation, innerException, ServiceText.MaxComposedMessageLength);

    /// <summary>The HTTP status code of the response.</summary>
    public int Status { get; }

    /// <summary>The service's error code (<c>KMS.XXXX</c> or <c>APIG.XXXX</c>), if the response had one. See <see cref="KmsErrorCodes"/>.</summary>
    public string? ErrorCode { get; }

    /// <summary>The service's error message, if any: without control characters, at most 300 characters.</summary>
    public string? ServiceMessage { get; }

    /// <summary>The request id from <c>X-Request-Id</c> or the error body; quote it to support.</summary>
    public string? RequestId { get; }

    /// <summary>The KMS operation that failed, for example <c>import-key-material</c>.</summary>
    public string? Operation { get; }

    /// <summary>
    /// Whether the service may have processed the request although it reported no success: no
    /// response (status 0), 408 or 5xx. Callers of non-idempotent operations check the outcome
    /// (describe-key) before trying again.
    /// </summary>
    public bool IsOutcomeUnknown => Status is 0 or 408 || Status >= 500;

    /// <summary>
    /// Set by the transport when this answer came to a retry after an earlier attempt of the same call
    /// got 429, 503 or no connection: for create-key, a <c>KMS.1104</c> may then be the earlier attempt's own key.
    /// </summary>
    internal bool AfterRetry { get; init; }

    private static string FormatMessage(int status, string? errorCode, string? serviceMessage, string? requestId, string? operation)
    {
        // Status 0: no definite answer, so "failed" would overstate what is known.
        var text = status == 0
            ? $"KMS {operation ?? "request"} got no definite answer"
            : $"KMS {operation ?? "request"} failed with HTTP {status}";
        if (!string.IsNullOrEmpty(errorCode))
        {
            text += $" {errorCode}";
        }

        if (!string.IsNullOrEmpty(serviceMessage))
        {
            text += $": {serviceMessage}";
        }

        var hint = KmsErrorCodes.GetHint(errorCode);
        if (hint is not null)
        {
            text += $" ({hint})";
        }

        if (!string.IsNullOrEmpty(requestId))
        {
            text += $" [request id {requestId}]";
        }

        return text;
    }
}
