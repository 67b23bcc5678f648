using System.Collections.Concurrent;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>What a fault does to one request.</summary>
internal enum FaultKind
{
    /// <summary>429 with <c>Retry-After</c> and the gateway's APIG.0308 body.</summary>
    Throttle,

    /// <summary>500 with a KMS.0100 body.</summary>
    InternalError,

    /// <summary>503 with a KMS.0101 body.</summary>
    Unavailable,

    /// <summary>The connection is aborted without a response.</summary>
    DropConnection,

    /// <summary>The answer comes only after <see cref="FaultProxy.SlowDelay"/> (longer than the client's attempt timeout).</summary>
    Slow,

    /// <summary>200 with a body that is not valid JSON.</summary>
    MalformedJson,

    /// <summary>The response announces its full length, sends half and the connection breaks.</summary>
    TruncatedBody,

    /// <summary>502 with an nginx HTML page, as a proxy in front of the service answers.</summary>
    HtmlErrorPage,

    /// <summary>A 200 body of <see cref="FaultProxy.OversizedBodyBytes"/> bytes.</summary>
    OversizedBody,
}

/// <summary>
/// A loopback HTTP proxy (Kestrel) in front of the served emulator that injects faults per KMS
/// operation, either before the request reaches the emulator (it never sees it) or after the
/// emulator processed it (the import happened; the client gets the fault instead of the answer).
/// Requests are forwarded with their Host header, so the AK/SK signature still verifies.
/// </summary>
internal sealed class FaultProxy : IAsyncDisposable
{
    public const int OversizedBodyBytes = 24 * 1024 * 1024;

    private static readonly byte[] s_html = Encoding.UTF8.GetBytes(
        "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n");

    private readonly WebApplication _app;
    private readonly HttpClient _upstream;
    private readonly Uri _upstreamBase;
    private readonly ConcurrentQueue<FaultRule> _rules = new();
    private readonly Lock _randomLock = new();
    private Random? _random;
    private double _probability;
    private FaultKind[] _randomKinds = [];
    private int _injected;
    private int _forwarded;

    private FaultProxy(WebApplication app, Uri upstreamBase)
    {
        _app = app;
        _upstreamBase = upstreamBase;
        _upstream = new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(60) };
    }

    public Uri BaseAddress { get; private set; } = null!;

    public int Port => BaseAddress.Port;

    /// <summary>How long a <see cref="FaultKind.Slow"/> answer waits.</summary>
    public TimeSpan SlowDelay { get; set; } = TimeSpan.FromSeconds(2);

    public int FaultsInjected => Volatile.Read(ref _injected);

    public int RequestsForwarded => Volatile.Read(ref _forwarded);

    public static async Task<FaultProxy> StartAsync(Uri upstream)
    {
        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(options =>
        {
            options.Listen(IPAddress.Loopback, 0);
            options.Limits.MaxRequestBodySize = 1024 * 1024;
            options.AddServerHeader = false;
        });
        WebApplication app = builder.Build();
        var proxy = new FaultProxy(app, upstream);
        app.Run(proxy.HandleAsync);
        await app.StartAsync().WaitAsync(TimeSpan.FromSeconds(30));
        string address = app.Urls.First();
        proxy.BaseAddress = new Uri(address.Replace("[::]", "127.0.0.1", StringComparison.Ordinal));
        return proxy;
    }

    /// <summary>Injects <paramref name="kind"/> into the next <paramref name="count"/> requests for <paramref name="operation"/>.</summary>
    public void Add(string operation, FaultKind kind, bool afterProcessing = false, int count = 1) =>
        _rules.Enqueue(new FaultRule(operation, kind, afterProcessing, count));

    /// <summary>Injects a random fault of <paramref name="kinds"/> (before or after processing) into each request with <paramref name="probability"/>.</summary>
    public void InjectRandomly(double probability, int seed, params FaultKind[] kinds)
    {
        lock (_randomLock)
        {
            _random = new Random(seed);
            _probability = probability;
            _randomKinds = kinds;
        }
    }

    public void Clear()
    {
        _rules.Clear();
        lock (_randomLock)
        {
            _probability = 0;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync().WaitAsync(TimeSpan.FromSeconds(30));
        await _app.DisposeAsync();
        _upstream.Dispose();
    }

    private (FaultKind Kind, bool After)? NextFault(string operation)
    {
        foreach (FaultRule rule in _rules)
        {
            if (rule.Operation == operation && rule.TryTake())
            {
                return (rule.Kind, rule.AfterProcessing);
            }
        }

        lock (_randomLock)
        {
            if (_random is not null && _probability > 0 && _random.NextDouble() < _probability)
            {
                return (_randomKinds[_random.Next(_randomKinds.Length)], _random.Next(2) == 0);
            }
        }

        return null;
    }

    private async Task HandleAsync(HttpContext context)
    {
        string operation = context.Request.Path.Value?.TrimEnd('/').Split('/').LastOrDefault() ?? string.Empty;
        (FaultKind Kind, bool After)? fault = NextFault(operation);
        if (fault is not null)
        {
            Interlocked.Increment(ref _injected);
        }

        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);

        if (fault is { After: false } before)
        {
            await WriteFaultAsync(context, before.Kind, upstream: null);
            return;
        }

        using HttpResponseMessage upstream = await ForwardAsync(context, body.ToArray());
        Interlocked.Increment(ref _forwarded);
        if (fault is { After: true } after)
        {
            await WriteFaultAsync(context, after.Kind, upstream);
            return;
        }

        await CopyResponseAsync(context, upstream, await upstream.Content.ReadAsByteArrayAsync(context.RequestAborted));
    }

    private async Task<HttpResponseMessage> ForwardAsync(HttpContext context, byte[] body)
    {
        var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), new Uri(_upstreamBase, context.Request.Path + context.Request.QueryString))
        {
            Content = new ByteArrayContent(body),
        };
        foreach ((string name, Microsoft.Extensions.Primitives.StringValues values) in context.Request.Headers)
        {
            if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase) || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            if (name.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                request.Content.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
            }
            else
            {
                request.Headers.TryAddWithoutValidation(name, (IEnumerable<string>)values!);
            }
        }

        // Not the client's cancellation: once forwarded, the emulator finishes processing.
        return await _upstream.SendAsync(request, CancellationToken.None);
    }

    private static async Task CopyResponseAsync(HttpContext context, HttpResponseMessage upstream, byte[] body)
    {
        context.Response.StatusCode = (int)upstream.StatusCode;
        foreach (KeyValuePair<string, IEnumerable<string>> header in upstream.Headers.Concat(upstream.Content.Headers))
        {
            if (!header.Key.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase) && !header.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                context.Response.Headers[header.Key] = header.Value.ToArray();
            }
        }

        context.Response.ContentLength = body.Length;
        await context.Response.Body.WriteAsync(body, context.RequestAborted);
    }

    private async Task WriteFaultAsync(HttpContext context, FaultKind kind, HttpResponseMessage? upstream)
    {
        string requestId = Guid.NewGuid().ToString("N");
        context.Response.Headers["X-Request-Id"] = requestId;
        switch (kind)
        {
            case FaultKind.Throttle:
                context.Response.StatusCode = 429;
                context.Response.Headers["Retry-After"] = "1";
                await WriteJsonAsync(context, $"{{\"error_code\":\"APIG.0308\",\"error_msg\":\"The request is throttled.\",\"request_id\":\"{requestId}\"}}");
                break;
            case FaultKind.InternalError:
                context.Response.StatusCode = 500;
                await WriteJsonAsync(context, "{\"error\":{\"error_code\":\"KMS.0100\",\"error_msg\":\"Internal service error.\"}}");
                break;
            case FaultKind.Unavailable:
                context.Response.StatusCode = 503;
                await WriteJsonAsync(context, "{\"error\":{\"error_code\":\"KMS.0101\",\"error_msg\":\"Service unavailable.\"}}");
                break;
            case FaultKind.DropConnection:
                context.Abort();
                break;
            case FaultKind.Slow:
                try
                {
                    await Task.Delay(SlowDelay, context.RequestAborted);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                if (upstream is null)
                {
                    // Too slow before processing: the client has given up; the request is dropped.
                    context.Abort();
                    return;
                }

                await CopyResponseAsync(context, upstream, await upstream.Content.ReadAsByteArrayAsync(context.RequestAborted));
                break;
            case FaultKind.MalformedJson:
                context.Response.StatusCode = 200;
                await WriteJsonAsync(context, "{\"key_id\": \"0d0466b0-e727-4d9c-b35d-f84bb474a37f\", \"key_info\": {\"key_state\": ");
                break;
            case FaultKind.TruncatedBody:
                byte[] full = upstream is null
                    ? Encoding.UTF8.GetBytes("{\"key_info\":{\"key_id\":\"0d0466b0-e727-4d9c-b35d-f84bb474a37f\",\"key_state\":\"2\",\"key_spec\":\"AES_256\",\"origin\":\"external\"}}")
                    : await upstream.Content.ReadAsByteArrayAsync(context.RequestAborted);
                context.Response.StatusCode = upstream is null ? 200 : (int)upstream.StatusCode;
                context.Response.ContentType = "application/json;charset=UTF-8";
                context.Response.ContentLength = Math.Max(full.Length, 2);
                await context.Response.Body.WriteAsync(full.AsMemory(0, full.Length / 2), context.RequestAborted);
                await context.Response.Body.FlushAsync(context.RequestAborted);
                context.Abort();
                break;
            case FaultKind.HtmlErrorPage:
                context.Response.StatusCode = 502;
                context.Response.ContentType = "text/html";
                context.Response.ContentLength = s_html.Length;
                await context.Response.Body.WriteAsync(s_html, context.RequestAborted);
                break;
            case FaultKind.OversizedBody:
                context.Response.StatusCode = 200;
                context.Response.ContentType = "application/json";
                context.Response.ContentLength = OversizedBodyBytes;
                byte[] chunk = Encoding.ASCII.GetBytes(new string(' ', 64 * 1024));
                try
                {
                    for (int written = 0; written < OversizedBodyBytes; written += chunk.Length)
                    {
                        await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
                    }
                }
                catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException || ex.GetType().Name.Contains("Connection", StringComparison.Ordinal))
                {
                    // The client stopped reading and closed the connection: what a size cap does.
                    TestContext.Progress.WriteLine($"fault proxy: oversized body cut short by the client ({ex.GetType().Name})");
                }

                break;
        }
    }

    private static async Task WriteJsonAsync(HttpContext context, string json)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(json);
        context.Response.ContentType = "application/json;charset=UTF-8";
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted);
    }

    private sealed class FaultRule(string operation, FaultKind kind, bool afterProcessing, int count)
    {
        private int _remaining = count;

        public string Operation { get; } = operation;

        public FaultKind Kind { get; } = kind;

        public bool AfterProcessing { get; } = afterProcessing;

        public bool TryTake()
        {
            while (true)
            {
                int remaining = Volatile.Read(ref _remaining);
                if (remaining <= 0)
                {
                    return false;
                }

                if (Interlocked.CompareExchange(ref _remaining, remaining - 1, remaining) == remaining)
                {
                    return true;
                }
            }
        }
    }
}
