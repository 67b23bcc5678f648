using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace KmsImport.Sdk.Testing.Tests.Server;

/// <summary>A raw HTTP client for the served emulator: JSON by hand, signed by <see cref="TestRequestSigner"/>.</summary>
internal sealed class RawKmsClient(LocalKmsServer server, HttpClient http)
{
    public string AccessKey { get; set; } = server.AccessKey;

    public string SecretKey { get; set; } = server.SecretKey;

    public string ProjectId { get; set; } = server.ProjectId;

    public Func<DateTimeOffset> Clock { get; set; } = () => DateTimeOffset.UtcNow;

    public async Task<RawResponse> SendAsync(string operation, object body, Action<HttpRequestMessage>? tamper = null, bool sign = true, CancellationToken cancellationToken = default)
    {
        byte[] content = body as byte[] ?? JsonSerializer.SerializeToUtf8Bytes(body);
        string path = $"/v1.0/{ProjectId}/kms/{operation}";
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server.BaseAddress, path))
        {
            Content = new ByteArrayContent(content),
        };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json") { CharSet = "UTF-8" };
        if (sign)
        {
            string date = TestRequestSigner.FormatDate(Clock());
            string host = $"{server.BaseAddress.Host}:{server.BaseAddress.Port}";
            request.Headers.Host = host;
            request.Headers.Add("X-Sdk-Date", date);
            request.Headers.Add("X-Project-Id", ProjectId);
            var headers = new Dictionary<string, string> { ["host"] = host, ["x-sdk-date"] = date, ["x-project-id"] = ProjectId };
            request.Headers.TryAddWithoutValidation("Authorization", TestRequestSigner.Sign("POST", path, headers, content, date, AccessKey, SecretKey));
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
