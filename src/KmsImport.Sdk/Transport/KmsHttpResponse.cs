using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text.Json;
using KmsImport.Sdk.Transport.Wire;

namespace KmsImport.Sdk.Transport;

/// <summary>
/// One HTTP response, read completely (up to a cap) inside the attempt so that the attempt timeout
/// covers the body and the connection is released before any retry.
/// </summary>
internal sealed class KmsHttpResponse
{
    /// <summary>The most the transport reads of a response body: 1 MiB (KMS bodies are a few KiB).</summary>
    public const int MaxBodyBytes = 1024 * 1024;

    private KmsHttpResponse(int status, byte[] body, bool bodyTooLarge, string? requestId, string? contentType, RetryConditionHeaderValue? retryAfter)
    {
        Status = status;
        Body = body;
        BodyTooLarge = bodyTooLarge;
        RequestId = requestId;
        ContentType = contentType;
        RetryAfter = retryAfter;
    }

    public int Status { get; }

    /// <summary>The body; empty when there was none or it was larger than <see cref="MaxBodyBytes"/>.</summary>
    public byte[] Body { get; }

    public bool BodyTooLarge { get; }

    /// <summary>From <c>X-Request-Id</c>, else from the error body's <c>request_id</c>.</summary>
    public string? RequestId { get; private set; }

    public string? ContentType { get; }

    public RetryConditionHeaderValue? RetryAfter { get; }

    public bool IsSuccess => Status is >= 200 and <= 299;

    /// <summary>The service's error code, parsed from error bodies of either shape.</summary>
    public string? ErrorCode { get; private set; }

    /// <summary>The service's message, or what was wrong with a body that is not a KMS error.</summary>
    public string? ErrorMessage { get; private set; }

    public static async Task<KmsHttpResponse> ReadAsync(HttpResponseMessage response, int maxBodyBytes, CancellationToken cancellationToken)
    {
        int status = (int)response.StatusCode;
        string? requestId = response.Headers.TryGetValues("X-Request-Id", out IEnumerable<string>? values)
            ? ServiceText.Clean(values.FirstOrDefault(v => !string.IsNullOrWhiteSpace(v))?.Trim(), ServiceText.MaxRequestIdLength)
            : null;
        string? contentType = response.Content.Headers.ContentType?.MediaType;
        long? declaredLength = response.Content.Headers.ContentLength;

        byte[] body = [];
        bool tooLarge = declaredLength > maxBodyBytes;
        if (!tooLarge)
        {
            Stream stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                (body, tooLarge) = await ReadCappedAsync(stream, (int)Math.Min(declaredLength ?? 4096, maxBodyBytes), maxBodyBytes, cancellationToken).ConfigureAwait(false);
            }
        }

        var result = new KmsHttpResponse(status, body, tooLarge, requestId, contentType, response.Headers.RetryAfter);
        if (!result.IsSuccess)
        {
            result.ParseError();
        }

        return result;
    }

    /// <summary>Zeroes the body (responses of get-parameters-for-import hold an import token).</summary>
    public void ClearBody() => CryptographicOperations.ZeroMemory(Body);

    public string DescribeBody() => BodyTooLarge
        ? $"the body is larger than {MaxBodyBytes / 1024 / 1024} MiB and was not read"
        : Body.Length == 0
            ? "the body is empty"
            : $"{Body.Length} bytes of {ContentType ?? "unknown content type"}";

    private void ParseError()
    {
        if (Status is >= 300 and <= 399)
        {
            ErrorMessage = "unexpected redirect; redirects are not followed (credentials must not be sent elsewhere), check the endpoint";
            return;
        }

        if (BodyTooLarge || Body.Length == 0)
        {
            ErrorMessage = $"no KMS error document ({DescribeBody()})";
            return;
        }

        ErrorWireResponse? error = null;
        try
        {
            error = JsonSerializer.Deserialize(Body, KmsJsonContext.Wire.ErrorWireResponse);
        }
        catch (JsonException)
        {
            // Not JSON (an HTML page from a proxy, or a truncated body): described below.
        }

        string? code = error?.Error?.ErrorCode ?? error?.ErrorCode;
        string? message = error?.Error?.ErrorMessage ?? error?.ErrorMessage;
        if (code is null && message is null)
        {
            ErrorMessage = $"no KMS error document ({DescribeBody()}); a proxy or load balancer may have answered";
            return;
        }

        // Logged and shown: cleaned of control characters and escape sequences, and bounded.
        ErrorCode = ServiceText.Clean(code, ServiceText.MaxCodeLength);
        ErrorMessage = ServiceText.Clean(message, ServiceText.MaxMessageLength);
        RequestId ??= ServiceText.Clean(error?.RequestId, ServiceText.MaxRequestIdLength);
    }

    // Reads at most maxBytes; past that the body is dropped and reported as too large. Buffers that
    // are outgrown are zeroed, since success bodies can hold an import token.
    private static async Task<(byte[] Body, bool TooLarge)> ReadCappedAsync(Stream stream, int initialSize, int maxBytes, CancellationToken cancellationToken)
    {
        byte[] buffer = new byte[Math.Max(initialSize, 256)];
        int length = 0;
        while (true)
        {
            if (length == buffer.Length)
            {
                if (buffer.Length > maxBytes)
                {
                    CryptographicOperations.ZeroMemory(buffer);
                    return ([], true);
                }

                byte[] larger = new byte[(int)Math.Min((long)buffer.Length * 2, (long)maxBytes + 1)];
                buffer.AsSpan(0, length).CopyTo(larger);
                CryptographicOperations.ZeroMemory(buffer);
                buffer = larger;
            }

            int read;
            try
            {
                read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                // Connection lost, attempt timeout or cancellation mid-body: what was read may hold an import token.
                CryptographicOperations.ZeroMemory(buffer);
                throw;
            }

            if (read == 0)
            {
                break;
            }

            length += read;
            if (length > maxBytes)
            {
                CryptographicOperations.ZeroMemory(buffer);
                return ([], true);
            }
        }

        if (length == buffer.Length)
        {
            return (buffer, false);
        }

        byte[] exact = buffer.AsSpan(0, length).ToArray();
        CryptographicOperations.ZeroMemory(buffer);
        return (exact, false);
    }
}
