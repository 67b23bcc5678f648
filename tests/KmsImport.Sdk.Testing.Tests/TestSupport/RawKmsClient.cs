using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KmsImport.Sdk.Testing.Tests.TestSupport;

/// <summary>A raw HTTP client for the served emulator: JSON by hand, signed by <see cref="TestRequestSigner"/>.</summary>
internal sealed class RawKmsClient(LocalKmsServer server, HttpClient http)
{
    public string AccessKey { get; set; } = server.AccessKey;

    public string SecretKey { get; set; } = server.SecretKey;

    public string ProjectId { get; set; } = server.ProjectId;

    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    /// <summary>Which official SDK's choice of signed headers to imitate.</summary>
    public SignerStyle Style { get; set; } = SignerStyle.DotNetJava;

    /// <summary>The security token of temporary credentials, sent as X-Security-Token (signed like any header) when set.</summary>
    public string? SecurityToken { get; set; }

    /// <summary>More headers to send (signed or not, as <see cref="Style"/> decides).</summary>
    public Dictionary<string, string> ExtraHeaders { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The Authorization value of the last signed request.</summary>
    public string? LastAuthorization { get; private set; }

    public async Task<RawResponse> SendAsync(string operation, object body, Action<HttpRequestMessage>? tamper = null, bool sign = true, CancellationToken cancellationToken = default)
    {
        byte[] content = body as byte[] ?? JsonSerializer.SerializeToUtf8Bytes(body);
        string path = $"/v1.0/{ProjectId}/kms/{operation}";
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, path))
        {
            Content = new ByteArrayContent(content),
        };

        // Node.js sends application/json without a charset; the others add one.
        string contentType = Style == SignerStyle.NodeJs ? "application/json" : "application/json;charset=UTF-8";
        request.Content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        foreach ((string name, string value) in ExtraHeaders)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        if (sign)
        {
            string date = TestRequestSigner.FormatDate(Clock());
            string host = $"{server.BaseAddress.Host}:{server.BaseAddress.Port}";
            request.Headers.Host = host;
            request.Headers.Add("X-Sdk-Date", date);
            request.Headers.Add("X-Project-Id", ProjectId);
            var headers = new Dictionary<string, string>(ExtraHeaders, StringComparer.OrdinalIgnoreCase)
            {
                ["Host"] = host,
                ["X-Sdk-Date"] = date,
                ["X-Project-Id"] = ProjectId,
                ["Content-Type"] = contentType,
            };
            if (SecurityToken is not null)
            {
                request.Headers.TryAddWithoutValidation("X-Security-Token", SecurityToken);
                headers["X-Security-Token"] = SecurityToken;
            }

            LastAuthorization = TestRequestSigner.Sign("POST", path, headers, content, date, AccessKey, SecretKey, Style);
            request.Headers.TryAddWithoutValidation("Authorization", LastAuthorization);
        }

        tamper?.Invoke(request);
        using HttpResponseMessage response = await http.SendAsync(request, cancellationToken);
        byte[] bytes = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        return new RawResponse(
            response.StatusCode,
            bytes,
            response.Headers.TryGetValues("X-Request-Id", out var ids) ? ids.Single() : null,
            response.Content.Headers.ContentType?.MediaType,
            response.Headers.RetryAfter?.Delta);
    }
}

internal sealed record RawResponse(HttpStatusCode Status, byte[] Body, string? RequestId, string? MediaType, TimeSpan? RetryAfter)
{
    public JsonNode Json => JsonNode.Parse(Body)!;

    public string Text => Encoding.UTF8.GetString(Body);

    public string? KmsErrorCode => Json["error"]?["error_code"]?.GetValue<string>();

    public string? GatewayErrorCode => Json["error_code"]?.GetValue<string>();
}
