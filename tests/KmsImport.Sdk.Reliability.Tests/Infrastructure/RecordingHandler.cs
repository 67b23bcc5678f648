using System.Collections.Concurrent;
using System.Text.Json;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>Requests per KMS operation (the last path segment), shared by the handlers one client's pipelines create.</summary>
internal sealed class RequestCounter
{
    private readonly ConcurrentDictionary<string, int> _requests = new(StringComparer.Ordinal);
    private int _total;

    public int TotalRequests => Volatile.Read(ref _total);

    public int RequestsFor(string operation) => _requests.TryGetValue(operation, out int count) ? count : 0;

    public void Count(string operation)
    {
        _requests.AddOrUpdate(operation, 1, (_, n) => n + 1);
        Interlocked.Increment(ref _total);
    }
}

/// <summary>
/// A <see cref="DelegatingHandler"/> added to the SDK's HttpClient: counts requests per KMS
/// operation and registers every import token the service hands out, and every IAM token sent, as
/// a secret, so the audit searches for them.
/// </summary>
internal sealed class RecordingHandler(RequestCounter counter) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        string operation = request.RequestUri?.Segments.LastOrDefault()?.TrimEnd('/') ?? "?";
        counter.Count(operation);
        if (request.Headers.TryGetValues("X-Auth-Token", out IEnumerable<string>? tokens))
        {
            foreach (string token in tokens)
            {
                SecretAudit.Secrets.Add(token);
            }
        }

        HttpResponseMessage response = await base.SendAsync(request, cancellationToken);
        if (operation == "get-parameters-for-import" && response.IsSuccessStatusCode)
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken);
            byte[] body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
            RegisterImportToken(body);
        }

        return response;
    }

    private static void RegisterImportToken(byte[] body)
    {
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            if (document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("import_token", out JsonElement token)
                && token.ValueKind == JsonValueKind.String)
            {
                SecretAudit.Secrets.Add(token.GetString());
            }
        }
        catch (JsonException)
        {
            // A fault-injected body; the SDK's parser is what the test exercises.
        }
    }
}
