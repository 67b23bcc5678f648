using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace KmsImport.Sdk.Tests.TestSupport;

/// <summary>
/// A test double for the network: records every request and answers from a script, one step per
/// request; a request past the end of the script fails the test.
/// </summary>
internal sealed class ScriptedHttpMessageHandler : HttpMessageHandler
{
    private readonly ConcurrentQueue<Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>>> _script = new();
    private readonly List<RecordedRequest> _requests = [];

    public IReadOnlyList<RecordedRequest> Requests
    {
        get
        {
            lock (_requests)
            {
                return _requests.ToList();
            }
        }
    }

    public ScriptedHttpMessageHandler Respond(HttpStatusCode status, string? body = null, string contentType = "application/json", Action<HttpResponseMessage>? configure = null)
    {
        _script.Enqueue((_, _) =>
        {
            var response = new HttpResponseMessage(status);
            if (body is not null)
            {
                response.Content = new StringContent(body, Encoding.UTF8);
                response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            }

            configure?.Invoke(response);
            return Task.FromResult(response);
        });
        return this;
    }

    public ScriptedHttpMessageHandler RespondBytes(HttpStatusCode status, byte[] body, string contentType)
    {
        _script.Enqueue((_, _) =>
        {
            var response = new HttpResponseMessage(status) { Content = new ByteArrayContent(body) };
            response.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue(contentType);
            return Task.FromResult(response);
        });
        return this;
    }

    public ScriptedHttpMessageHandler Throw(Exception exception)
    {
        _script.Enqueue((_, _) => Task.FromException<HttpResponseMessage>(exception));
        return this;
    }

    /// <summary>Never answers: the attempt ends only by cancellation (an attempt or total timeout).</summary>
    public ScriptedHttpMessageHandler Hang()
    {
        _script.Enqueue(async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        });
        return this;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (KeyValuePair<string, IEnumerable<string>> header in request.Headers.NonValidated.Select(h => new KeyValuePair<string, IEnumerable<string>>(h.Key, h.Value)))
        {
            headers[header.Key] = string.Join(",", header.Value);
        }

        byte[] body = request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken);
        string? contentType = null;
        if (request.Content is not null && request.Content.Headers.NonValidated.TryGetValues("Content-Type", out HeaderStringValues values))
        {
            contentType = values.ToString();
        }

        var recorded = new RecordedRequest(request.Method, request.RequestUri!, headers, contentType, body);
        lock (_requests)
        {
            _requests.Add(recorded);
        }

        if (!_script.TryDequeue(out Func<RecordedRequest, CancellationToken, Task<HttpResponseMessage>>? step))
        {
            throw new AssertionException($"Unexpected request #{_requests.Count}: {request.Method} {request.RequestUri}");
        }

        return await step(recorded, cancellationToken);
    }
}
