using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using KmsImport.Sdk.Testing.Emulation;
using KmsImport.Sdk.Testing.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk.Testing;

/// <summary>
/// The <see cref="LocalKms"/> emulator served over HTTP with the service's REST contract:
/// <c>POST /v1.0/{project_id}/kms/{operation}</c>, JSON in and out, both error shapes,
/// <c>X-Request-Id</c> on every response, <c>SDK-HMAC-SHA256</c> and <c>X-Auth-Token</c>
/// authentication, and fault injection through <see cref="Faults"/>. Listens on an ephemeral
/// loopback port by default, and on loopback IP addresses only; point the HTTPS transport's
/// endpoint at <see cref="BaseAddress"/>.
/// </summary>
/// <remarks>
/// Signatures are verified by the emulator's own implementation of the gateway's rule, over
/// exactly the headers the client lists in <c>SignedHeaders</c> (each must be present; <c>host</c>
/// is optional, <c>x-sdk-date</c> is required), so requests signed the way any official Huawei
/// Cloud SDK signs them are accepted. Consecutive failed signatures lock the access key
/// (<see cref="LocalKmsServerOptions.MaxFailedSignatures"/>), and temporary credentials need their
/// <c>X-Security-Token</c> (<see cref="LocalKmsServerOptions.SecurityToken"/>). Thread-safe.
/// Dispose it to stop listening; pending injected delays end at once.
/// </remarks>
public sealed class LocalKmsServer : IAsyncDisposable
{
    private static readonly byte[] s_htmlPage = Encoding.UTF8.GetBytes(
        "<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr><p>proxy</p></body></html>");

    private readonly WebApplication _app;
    private readonly LocalKmsServerOptions _options;
    private readonly RequestAuthenticator _authenticator;
    private readonly bool _ownsEmulator;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, int> _requestCounts = new(StringComparer.Ordinal);
    private readonly RequestRateLimiter? _rateLimiter;
    private int _throttledCount;
    private int _disposed;

    private LocalKmsServer(WebApplication app, LocalKmsServerOptions options, LocalKms kms, bool ownsEmulator, string projectId, string accessKey, string secretKey, TimeProvider timeProvider)
    {
        _app = app;
        _options = options;
        _ownsEmulator = ownsEmulator;
        _rateLimiter = options.MaxRequestsPerSecond > 0 ? new RequestRateLimiter(options.MaxRequestsPerSecond, timeProvider) : null;
        Kms = kms;
        ProjectId = projectId;
        AccessKey = accessKey;
        SecretKey = secretKey;
        _authenticator = new RequestAuthenticator(
            new Dictionary<string, DateTimeOffset>(options.AuthTokens, StringComparer.Ordinal),
            options.MaxClockSkew,
            projectId,
            accessKey,
            secretKey,
            string.IsNullOrEmpty(options.SecurityToken) ? null : options.SecurityToken,
            new AccessKeyLockout(options.MaxFailedSignatures, options.AccessKeyLockoutDuration, timeProvider),
            timeProvider);
    }

    /// <summary>The address of the first listener, for example <c>http://127.0.0.1:51234/</c>.</summary>
    public Uri BaseAddress { get; private set; } = null!;

    /// <summary>Every address the server listens on.</summary>
    public IReadOnlyList<Uri> Addresses { get; private set; } = [];

    /// <summary>The emulator behind the server, for setup and inspection.</summary>
    public LocalKms Kms { get; }

    /// <summary>The project id the server accepts.</summary>
    public string ProjectId { get; }

    /// <summary>The access key (AK) the server accepts.</summary>
    public string AccessKey { get; }

    /// <summary>The secret key (SK) the server verifies signatures with. A test credential.</summary>
    public string SecretKey { get; }

    /// <summary>Faults to inject into the next requests.</summary>
    public LocalKmsFaults Faults { get; } = new();

    /// <summary>Starts a server.</summary>
    /// <param name="options">Addresses, credentials, clock and emulator settings; defaults (random credentials, ephemeral loopback port) when null.</param>
    /// <param name="cancellationToken">Cancels the start.</param>
    /// <returns>The running server.</returns>
    /// <exception cref="ArgumentException"><see cref="LocalKmsServerOptions.Urls"/> is null, empty or whitespace, or names an address that is not loopback (the message says which and what to use).</exception>
    /// <exception cref="ArgumentOutOfRangeException">An option is out of range.</exception>
    /// <exception cref="IOException">An address cannot be bound.</exception>
    /// <exception cref="InvalidOperationException">An address actually bound is not loopback (the server is stopped first).</exception>
    public static async Task<LocalKmsServer> StartAsync(LocalKmsServerOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalKmsServerOptions();
        ArgumentException.ThrowIfNullOrWhiteSpace(options.Urls);
        string urls = LoopbackUrls.Normalize(options.Urls);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.MaxClockSkew, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(options.MaxRequestBodyBytes);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxFailedSignatures);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(options.AccessKeyLockoutDuration, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfNegative(options.MaxRequestsPerSecond);
        TimeProvider timeProvider = options.TimeProvider ?? TimeProvider.System;
        string projectId = options.ProjectId ?? LocalKmsServerOptions.RandomString(32, "0123456789abcdef");
        string accessKey = options.AccessKey ?? LocalKmsServerOptions.RandomString(20, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789");
        string secretKey = options.SecretKey ?? LocalKmsServerOptions.RandomString(40, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");
        bool ownsEmulator = options.Emulator is null;
        LocalKms kms = options.Emulator ?? new LocalKms(options.Kms, timeProvider);

        WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions
        {
            ApplicationName = typeof(LocalKmsServer).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
        });
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls(urls);
        builder.WebHost.UseShutdownTimeout(TimeSpan.FromSeconds(2));
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = options.MaxRequestBodyBytes;
        });

        WebApplication app = builder.Build();
        var server = new LocalKmsServer(app, options, kms, ownsEmulator, projectId, accessKey, secretKey, timeProvider);
        app.Run(server.HandleAsync);
        try
        {
            await app.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        ICollection<string> addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        try
        {
            LoopbackUrls.EnsureLoopback(addresses);
        }
        catch (InvalidOperationException)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        server.Addresses = addresses.Select(a => new Uri(a.EndsWith('/') ? a : a + "/")).ToArray();
        server.BaseAddress = server.Addresses[0];
        return server;
    }

    /// <summary>How many requests for <paramref name="operation"/> reached the server (faulted, refused and successful alike).</summary>
    /// <param name="operation">The operation, for example <c>import-key-material</c>.</param>
    /// <returns>The count.</returns>
    public int GetRequestCount(string operation) => _requestCounts.TryGetValue(operation, out int count) ? count : 0;

    /// <summary>How many requests were refused with 429 by <see cref="LocalKmsServerOptions.MaxRequestsPerSecond"/>.</summary>
    public int ThrottledCount => Volatile.Read(ref _throttledCount);

    /// <summary>Stops listening and, when the server created it, disposes the emulator.</summary>
    /// <returns>A task that completes when the server has stopped.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync().ConfigureAwait(false);
        using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5)))
        {
            try
            {
                await _app.StopAsync(timeout.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Connections still open after the timeout are dropped by DisposeAsync.
            }
        }

        await _app.DisposeAsync().ConfigureAwait(false);
        _stopping.Dispose();
        if (_ownsEmulator)
        {
            Kms.Dispose();
        }
    }

    private async Task HandleAsync(HttpContext context)
    {
        string requestId = LocalKms.NewRequestId();
        context.Response.Headers["X-Request-Id"] = requestId;
        using CancellationTokenSource aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            await HandleCoreAsync(context, requestId, aborted.Token).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException)
        {
            // The client went away or the server is stopping: nothing left to answer.
            context.Abort();
        }
    }

    private async Task HandleCoreAsync(HttpContext context, string requestId, CancellationToken cancellationToken)
    {
        string[] segments = (context.Request.Path.Value ?? string.Empty).Split('/');
        if (segments.Length != 5 || segments[0].Length != 0 || segments[1] != "v1.0" || segments[2].Length == 0 || segments[3] != "kms" || !KmsOperations.All.Contains(segments[4]))
        {
            await WriteAsync(context, 404, KmsWireFormat.WriteGatewayError("APIG.0101", "The API does not exist or has not been published in the environment", requestId), cancellationToken).ConfigureAwait(false);
            return;
        }

        string projectId = segments[2];
        string operation = segments[4];
        _requestCounts.AddOrUpdate(operation, 1, static (_, count) => count + 1);
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await WriteAsync(context, 405, KmsWireFormat.WriteGatewayError("APIG.0101", "Only POST is supported", requestId), cancellationToken).ConfigureAwait(false);
            return;
        }

        byte[]? body = await ReadBodyAsync(context.Request, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            await WriteAsync(context, 413, KmsWireFormat.WriteGatewayError("APIG.0201", $"Request body larger than {_options.MaxRequestBodyBytes} bytes", requestId), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (Faults.TryTake(operation, LocalKmsFaultTiming.BeforeProcessing) is { } before
            && await ApplyFaultAsync(context, before, requestId, null, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (_rateLimiter is not null && !_rateLimiter.TryAcquire(out TimeSpan wait))
        {
            Interlocked.Increment(ref _throttledCount);
            context.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
            await WriteAsync(context, 429, KmsWireFormat.WriteGatewayError(GatewayErrors.Throttled, "The throttling threshold has been reached", requestId), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (_authenticator.Authenticate(context, projectId, body) is { } failure)
        {
            byte[] error = failure.GatewayShape
                ? KmsWireFormat.WriteGatewayError(failure.Code, failure.Message, requestId)
                : KmsWireFormat.WriteKmsError(failure.Code, failure.Message);
            await WriteAsync(context, failure.Status, error, cancellationToken).ConfigureAwait(false);
            return;
        }

        int status = 200;
        byte[] response;
        try
        {
            response = Dispatch(operation, body, requestId);
        }
        catch (KmsRequestFailedException ex)
        {
            status = ex.Status;
            response = KmsWireFormat.WriteKmsError(ex.ErrorCode ?? "KMS.0100", ex.ServiceMessage ?? "request failed");
        }

        if (Faults.TryTake(operation, LocalKmsFaultTiming.AfterProcessing) is { } after
            && await ApplyFaultAsync(context, after, requestId, response, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await WriteAsync(context, status, response, cancellationToken).ConfigureAwait(false);
    }

    private byte[] Dispatch(string operation, byte[] body, string requestId)
    {
        JsonElement root;
        try
        {
            using JsonDocument document = JsonDocument.Parse(body);
            root = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            throw KmsWireFormat.InvalidParameter("the request body is not valid JSON", requestId);
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            throw KmsWireFormat.InvalidParameter("the request body must be a JSON object", requestId);
        }

        switch (operation)
        {
            case KmsOperations.CreateKey:
                return KmsWireFormat.WriteCreateKey(Kms.CreateKey(KmsWireFormat.ReadCreateKey(root, requestId), requestId));
            case KmsOperations.GetParametersForImport:
                return KmsWireFormat.WriteImportParameters(Kms.GetParametersForImport(KmsWireFormat.ReadGetParametersForImport(root, requestId), requestId));
            case KmsOperations.ImportKeyMaterial:
                Kms.ImportKeyMaterial(KmsWireFormat.ReadImportKeyMaterial(root, requestId), requestId);
                return KmsWireFormat.WriteEmptyObject();
            case KmsOperations.DeleteImportedKeyMaterial:
                Kms.DeleteImportedKeyMaterial(KmsWireFormat.ReadDeleteImportedKeyMaterial(root, requestId), requestId);
                return [];
            case KmsOperations.ListKeys:
                return KmsWireFormat.WriteListKeys(Kms.ListKeys(KmsWireFormat.ReadListKeys(root, requestId), requestId));
            case KmsOperations.GetPublicKey:
                Sdk.GetPublicKeyRequest publicKeyRequest = KmsWireFormat.ReadGetPublicKey(root, requestId);
                return KmsWireFormat.WritePublicKey(publicKeyRequest.KeyId, Kms.GetPublicKeyPem(publicKeyRequest, requestId));
            default:
                return KmsWireFormat.WriteKeyDetails(Kms.DescribeKey(KmsWireFormat.ReadDescribeKey(root, requestId), requestId));
        }
    }

    // True when the fault answered the request; false (latency) to carry on normally.
    private async Task<bool> ApplyFaultAsync(HttpContext context, LocalKmsFault fault, string requestId, byte[]? processedResponse, CancellationToken cancellationToken)
    {
        HttpResponse response = context.Response;
        switch (fault.Kind)
        {
            case LocalKmsFaultKind.Latency:
                await Task.Delay(fault.Latency, cancellationToken).ConfigureAwait(false);
                return false;

            case LocalKmsFaultKind.Throttle:
                response.Headers.RetryAfter = ((int)Math.Ceiling(fault.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                await WriteAsync(context, 429, KmsWireFormat.WriteGatewayError(GatewayErrors.Throttled, "The throttling threshold has been reached", requestId), cancellationToken).ConfigureAwait(false);
                return true;

            case LocalKmsFaultKind.ServerError:
                int status = fault.StatusCode ?? 500;
                string code = status == 503 ? "KMS.0103" : "KMS.0101";
                await WriteAsync(context, status, KmsWireFormat.WriteKmsError(code, "Internal service error (injected fault)"), cancellationToken).ConfigureAwait(false);
                return true;

            case LocalKmsFaultKind.DropConnection:
                context.Abort();
                return true;

            case LocalKmsFaultKind.MalformedJson:
                await WriteAsync(context, 200, "{\"key_info\":{\"key_id\":\"0f6d5a33-"u8.ToArray(), cancellationToken).ConfigureAwait(false);
                return true;

            case LocalKmsFaultKind.TruncatedBody:
                byte[] full = processedResponse is { Length: > 1 } ? processedResponse : KmsWireFormat.WriteGatewayError("KMS.0000", new string('x', 200), requestId);
                response.StatusCode = 200;
                response.ContentType = "application/json;charset=UTF-8";
                response.ContentLength = full.Length;
                await response.Body.WriteAsync(full.AsMemory(0, full.Length / 2), cancellationToken).ConfigureAwait(false);
                await response.Body.FlushAsync(cancellationToken).ConfigureAwait(false);
                context.Abort();
                return true;

            case LocalKmsFaultKind.HtmlErrorPage:
                response.StatusCode = fault.StatusCode ?? 502;
                response.ContentType = "text/html";
                response.ContentLength = s_htmlPage.Length;
                await response.Body.WriteAsync(s_htmlPage, cancellationToken).ConfigureAwait(false);
                return true;

            case LocalKmsFaultKind.OversizedBody:
                await WriteOversizedAsync(response, fault.OversizedBodyLength, cancellationToken).ConfigureAwait(false);
                return true;

            default:
                return false;
        }
    }

    private static async Task WriteOversizedAsync(HttpResponse response, int length, CancellationToken cancellationToken)
    {
        byte[] head = "{\"padding\":\""u8.ToArray();
        byte[] tail = "\"}"u8.ToArray();
        int padding = Math.Max(0, length - head.Length - tail.Length);
        response.StatusCode = 200;
        response.ContentType = "application/json;charset=UTF-8";
        response.ContentLength = head.Length + padding + tail.Length;
        await response.Body.WriteAsync(head, cancellationToken).ConfigureAwait(false);
        byte[] chunk = new byte[64 * 1024];
        Array.Fill(chunk, (byte)'x');
        while (padding > 0)
        {
            int size = Math.Min(padding, chunk.Length);
            await response.Body.WriteAsync(chunk.AsMemory(0, size), cancellationToken).ConfigureAwait(false);
            padding -= size;
        }

        await response.Body.WriteAsync(tail, cancellationToken).ConfigureAwait(false);
    }

    private async Task<byte[]?> ReadBodyAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        using var buffer = new MemoryStream();
        byte[] chunk = new byte[16 * 1024];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > _options.MaxRequestBodyBytes)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException)
        {
            // Kestrel's own body size limit.
            return null;
        }

        return buffer.ToArray();
    }

    private static async Task WriteAsync(HttpContext context, int status, byte[] body, CancellationToken cancellationToken)
    {
        HttpResponse response = context.Response;
        response.StatusCode = status;
        response.ContentLength = body.Length;
        if (body.Length > 0)
        {
            response.ContentType = "application/json;charset=UTF-8";
            await response.Body.WriteAsync(body, cancellationToken).ConfigureAwait(false);
        }
    }
}
