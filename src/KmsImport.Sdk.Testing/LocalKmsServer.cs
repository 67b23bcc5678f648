using System.Collections.Concurrent;
using KmsImport.Sdk.Testing.Emulation;
using KmsImport.Sdk.Testing.Server;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

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
    private readonly WebApplication _app;
    private readonly LocalKmsServerOptions _options;
    private readonly RequestAuthenticator _authenticator;
    private readonly bool _ownsEmulator;
    private readonly CancellationTokenSource _stopping = new();
    private readonly ConcurrentDictionary<string, int> _requestCounts = new(StringComparer.Ordinal);
    private readonly RequestThrottle? _throttle;
    private int _disposed;

    private LocalKmsServer(WebApplication app, LocalKmsServerOptions options, LocalKms kms, bool ownsEmulator, string projectId, string accessKey, string secretKey, TimeProvider timeProvider)
    {
        _app = app;
        _options = options;
        _ownsEmulator = ownsEmulator;
        _throttle = options.MaxRequestsPerSecond > 0 ? new RequestThrottle(options.MaxRequestsPerSecond, timeProvider) : null;
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

        WebApplication app = LoopbackHost.Build(urls, options.MaxRequestBodyBytes);
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

        try
        {
            server.Addresses = LoopbackHost.GetListeningAddresses(app);
        }
        catch (InvalidOperationException)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        server.BaseAddress = server.Addresses[0];
        return server;
    }

    /// <summary>How many requests for <paramref name="operation"/> reached the server (faulted, refused and successful alike).</summary>
    /// <param name="operation">The operation, for example <c>import-key-material</c>.</param>
    /// <returns>The count.</returns>
    public int GetRequestCount(string operation) => _requestCounts.TryGetValue(operation, out int count) ? count : 0;

    /// <summary>How many requests were refused with 429 by <see cref="LocalKmsServerOptions.MaxRequestsPerSecond"/>.</summary>
    public int ThrottledCount => _throttle?.ThrottledCount ?? 0;

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
        if (!OperationDispatcher.TryRoute(context.Request.Path.Value, out string projectId, out string operation))
        {
            await HttpExchange.WriteAsync(context, 404, KmsWireFormat.WriteGatewayError(GatewayErrors.ApiNotFound, "The API does not exist or has not been published in the environment", requestId), cancellationToken).ConfigureAwait(false);
            return;
        }

        _requestCounts.AddOrUpdate(operation, 1, static (_, count) => count + 1);
        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.Headers.Allow = "POST";
            await HttpExchange.WriteAsync(context, 405, KmsWireFormat.WriteGatewayError(GatewayErrors.ApiNotFound, "Only POST is supported", requestId), cancellationToken).ConfigureAwait(false);
            return;
        }

        byte[]? body = await HttpExchange.ReadBodyAsync(context.Request, _options.MaxRequestBodyBytes, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            await HttpExchange.WriteAsync(context, 413, KmsWireFormat.WriteGatewayError(GatewayErrors.RequestTooLarge, $"Request body larger than {_options.MaxRequestBodyBytes} bytes", requestId), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (Faults.TryTake(operation, LocalKmsFaultTiming.BeforeProcessing) is { } before
            && await FaultResponder.ApplyAsync(context, before, requestId, null, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (_throttle is not null && await _throttle.TryRefuseAsync(context, requestId, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        if (_authenticator.Authenticate(context, projectId, body) is { } failure)
        {
            byte[] error = failure.GatewayShape
                ? KmsWireFormat.WriteGatewayError(failure.Code, failure.Message, requestId)
                : KmsWireFormat.WriteKmsError(failure.Code, failure.Message);
            await HttpExchange.WriteAsync(context, failure.Status, error, cancellationToken).ConfigureAwait(false);
            return;
        }

        int status = 200;
        byte[] response;
        try
        {
            response = OperationDispatcher.Dispatch(Kms, operation, body, requestId);
        }
        catch (KmsRequestFailedException ex)
        {
            status = ex.Status;
            response = KmsWireFormat.WriteKmsError(ex.ErrorCode ?? EmulatorErrorCodes.Unspecified, ex.ServiceMessage ?? "request failed");
        }

        if (Faults.TryTake(operation, LocalKmsFaultTiming.AfterProcessing) is { } after
            && await FaultResponder.ApplyAsync(context, after, requestId, response, cancellationToken).ConfigureAwait(false))
        {
            return;
        }

        await HttpExchange.WriteAsync(context, status, response, cancellationToken).ConfigureAwait(false);
    }
}
