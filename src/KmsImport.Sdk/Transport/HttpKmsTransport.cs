using System.Globalization;
using System.Reflection;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Json;
using KmsImport.Sdk.Authentication;
using KmsImport.Sdk.Contract;
using KmsImport.Sdk.DependencyInjection;
using KmsImport.Sdk.Resilience;
using KmsImport.Sdk.Transport.Wire;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;

namespace KmsImport.Sdk.Transport;

/// <summary>
/// The KMS REST API over HTTPS: <c>POST {endpoint}/v1.0/{project_id}/kms/{operation}</c> with
/// JSON bodies, authenticated per attempt (AK/SK signature or IAM token), with a Polly v8
/// pipeline of total timeout, retry and attempt timeout. Immutable and thread-safe; register it
/// with <c>services.AddKeyImportClient(...)</c>, or construct it directly without DI.
/// </summary>
/// <remarks>
/// <para>
/// Retried: 408, 429, 5xx and failures without a response for the safe operations
/// (get-parameters-for-import, describe-key); only 429 and failures to connect for create-key,
/// import-key-material and delete-imported-key-material, which the service may have processed.
/// Never any other 4xx, above all <c>APIG.0301</c>.
/// </para>
/// <para>
/// Failures are <see cref="KmsRequestFailedException"/>; when no response was received (connection
/// lost, attempt or total timeout) its <see cref="KmsRequestFailedException.Status"/> is 0 and the
/// cause is the inner exception. Cancelling the caller's token throws <see cref="OperationCanceledException"/>.
/// An exception thrown by an <see cref="IamTokenCredential"/> provider propagates unchanged.
/// </para>
/// <para>
/// Redirects are never followed (<c>docs/import-confirmation.md</c>): a 3xx is an error, and a
/// response whose final request URI differs in scheme, host or port from the one sent is refused.
/// Handlers the SDK creates, and an <see cref="HttpClientHandler"/> or <see cref="SocketsHttpHandler"/>
/// set as the primary handler through <c>AddKeyImportClient</c>, get <c>AllowAutoRedirect = false</c>.
/// An <see cref="HttpClient"/> passed to the constructor cannot be changed from outside: give it a
/// handler that does not follow redirects, or a followed redirect has already reached the other host
/// when the transport refuses its answer.
/// </para>
/// </remarks>
public sealed partial class HttpKmsTransport : IKmsTransport
{
    /// <summary>The name of the <see cref="HttpClient"/> taken from <see cref="IHttpClientFactory"/>.</summary>
    public const string HttpClientName = "KmsImport.Sdk";

    private const string JsonContentType = "application/json;charset=UTF-8";

    private static readonly string s_userAgent = BuildUserAgent();

    private readonly Func<HttpClient> _httpClient;
    private readonly KmsConnectionSettings _settings;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline<KmsHttpResponse> _pipeline;
    private readonly TimeSpan _totalTimeout;

    /// <summary>
    /// Creates a transport that takes the named client <see cref="HttpClientName"/> from
    /// <paramref name="httpClientFactory"/> for every call (what <c>AddKeyImportClient</c> registers).
    /// </summary>
    /// <param name="httpClientFactory">The factory; configure the named client with an infinite <see cref="HttpClient.Timeout"/> and no automatic redirects.</param>
    /// <param name="credential">Who requests are sent as.</param>
    /// <param name="options">The endpoint, project and resilience settings; read once, here. A missing region or project id falls back to the <c>HUAWEICLOUD_SDK_*</c> environment variables.</param>
    /// <param name="timeProvider">The clock for <c>X-Sdk-Date</c>, back-off and timeouts; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClientFactory"/>, <paramref name="credential"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid or incomplete, or the credential cannot be resolved; the message lists every problem.</exception>
    public HttpKmsTransport(IHttpClientFactory httpClientFactory, KmsCredential credential, KeyImportClientOptions options, TimeProvider? timeProvider = null, ILogger<HttpKmsTransport>? logger = null)
        : this(CreateFactory(httpClientFactory), credential, options, timeProvider, logger, SystemEnvironmentVariableReader.Instance)
    {
    }

    /// <summary>
    /// Creates a transport over one <see cref="HttpClient"/>. The transport does not dispose it.
    /// Most applications construct a <see cref="KeyImportClient"/> instead, which creates and owns its HTTP client.
    /// </summary>
    /// <param name="httpClient">
    /// The client; give it <see cref="Timeout.InfiniteTimeSpan"/> as <see cref="HttpClient.Timeout"/>
    /// (the transport owns the timeouts) and a handler that does not follow redirects.
    /// </param>
    /// <param name="credential">Who requests are sent as.</param>
    /// <param name="options">The endpoint, project and resilience settings; read once, here. A missing region or project id falls back to the <c>HUAWEICLOUD_SDK_*</c> environment variables.</param>
    /// <param name="timeProvider">The clock for <c>X-Sdk-Date</c>, back-off and timeouts; <see cref="TimeProvider.System"/> when null.</param>
    /// <param name="logger">The logger; none when null.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/>, <paramref name="credential"/> or <paramref name="options"/> is null.</exception>
    /// <exception cref="OptionsValidationException">The options are invalid or incomplete, or the credential cannot be resolved; the message lists every problem.</exception>
    public HttpKmsTransport(HttpClient httpClient, KmsCredential credential, KeyImportClientOptions options, TimeProvider? timeProvider = null, ILogger<HttpKmsTransport>? logger = null)
        : this(CreateFactory(httpClient), credential, options, timeProvider, logger, SystemEnvironmentVariableReader.Instance)
    {
    }

    internal HttpKmsTransport(Func<HttpClient> httpClient, KmsCredential credential, KeyImportClientOptions options, TimeProvider? timeProvider, ILogger? logger, IEnvironmentVariableReader environment)
    {
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(options);
        KeyImportClientOptionsValidator.ThrowIfInvalid(options, credential, environment);
        var failures = new List<string>();
        _settings = KmsConnectionSettings.Resolve(options, credential, environment, failures)
            ?? throw new OptionsValidationException(Options.DefaultName, typeof(KeyImportClientOptions), failures);
        _httpClient = httpClient;
        _timeProvider = timeProvider ?? TimeProvider.System;
        _logger = logger ?? NullLogger.Instance;
        KmsRetryOptions retry = Copy(options.Retry);
        _totalTimeout = retry.TotalTimeout;
        _pipeline = KmsResiliencePipeline.Create(retry, _timeProvider, _logger);
    }

    /// <summary>The endpoint requests go to, resolved from the options or the region.</summary>
    public Uri Endpoint => _settings.Endpoint;

    /// <summary>The User-Agent sent with every request: <c>KmsImport.Sdk/{version} ({.NET runtime})</c>.</summary>
    public static string UserAgent => s_userAgent;

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The alias is empty.</exception>
    public async Task<CreateKeyResult> CreateKeyAsync(CreateKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.KeyAlias, nameof(request));
        KmsOperation operation = KmsOperation.CreateKey;
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(KmsWireMapper.ToWire(request), KmsJsonContext.Wire.CreateKeyWireRequest);
        KmsHttpResponse response = await SendAsync(operation, keyId: null, body, cancellationToken).ConfigureAwait(false);
        CreateKeyWireResponse wire = KmsResponseReader.Read(response, operation, KmsJsonContext.Wire.CreateKeyWireResponse);
        return KmsWireMapper.FromWire(wire, out string? problem) ?? throw KmsResponseReader.Malformed(response, operation, problem!, null);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The key id is empty.</exception>
    public async Task<ImportParameters> GetParametersForImportAsync(GetParametersForImportRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.KeyId, nameof(request));
        KmsOperation operation = KmsOperation.GetParametersForImport;
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(KmsWireMapper.ToWire(request), KmsJsonContext.Wire.GetParametersForImportWireRequest);
        KmsHttpResponse response = await SendAsync(operation, request.KeyId, body, cancellationToken).ConfigureAwait(false);
        try
        {
            GetParametersForImportWireResponse wire = KmsResponseReader.Read(response, operation, KmsJsonContext.Wire.GetParametersForImportWireResponse);
            return KmsWireMapper.FromWire(wire, request, out string? problem, out Exception? cause)
                ?? throw KmsResponseReader.Malformed(response, operation, problem!, cause);
        }
        finally
        {
            // The body holds the import token.
            response.ClearBody();
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The key id, the token or the encrypted material is empty.</exception>
    public async Task ImportKeyMaterialAsync(ImportKeyMaterialRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.KeyId, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.ImportToken, nameof(request));
        ArgumentException.ThrowIfNullOrWhiteSpace(request.EncryptedKeyMaterial, nameof(request));
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(KmsWireMapper.ToWire(request), KmsJsonContext.Wire.ImportKeyMaterialWireRequest);

        // Success is the status; the body ({} or empty) carries nothing.
        await SendAsync(KmsOperation.ImportKeyMaterial, request.KeyId, body, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The key id is empty.</exception>
    public async Task DeleteImportedKeyMaterialAsync(DeleteImportedKeyMaterialRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.KeyId, nameof(request));
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(KmsWireMapper.ToWire(request), KmsJsonContext.Wire.KeyIdWireRequest);
        await SendAsync(KmsOperation.DeleteImportedKeyMaterial, request.KeyId, body, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The key id is empty.</exception>
    public async Task<KeyDetails> DescribeKeyAsync(DescribeKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.KeyId, nameof(request));
        KmsOperation operation = KmsOperation.DescribeKey;
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(KmsWireMapper.ToWire(request), KmsJsonContext.Wire.KeyIdWireRequest);
        KmsHttpResponse response = await SendAsync(operation, request.KeyId, body, cancellationToken).ConfigureAwait(false);
        DescribeKeyWireResponse wire = KmsResponseReader.Read(response, operation, KmsJsonContext.Wire.DescribeKeyWireResponse);
        return KmsWireMapper.FromWire(wire, request, out string? problem) ?? throw KmsResponseReader.Malformed(response, operation, problem!, null);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The limit is not positive.</exception>
    public async Task<ListKeysPage> ListKeysAsync(ListKeysRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (request.Limit is <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(request), request.Limit, "ListKeysRequest.Limit must be positive, or null for the service's default.");
        }

        KmsOperation operation = KmsOperation.ListKeys;
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(KmsKeyWireMapper.ToWire(request), KmsJsonContext.Wire.ListKeysWireRequest);
        KmsHttpResponse response = await SendAsync(operation, keyId: null, body, cancellationToken).ConfigureAwait(false);
        ListKeysWireResponse wire = KmsResponseReader.Read(response, operation, KmsJsonContext.Wire.ListKeysWireResponse);
        return KmsKeyWireMapper.FromWire(wire, out string? problem) ?? throw KmsResponseReader.Malformed(response, operation, problem!, null);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="ArgumentException">The key id is empty.</exception>
    public async Task<KmsPublicKey> GetPublicKeyAsync(GetPublicKeyRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentException.ThrowIfNullOrWhiteSpace(request.KeyId, nameof(request));
        KmsOperation operation = KmsOperation.GetPublicKey;
        byte[] body = JsonSerializer.SerializeToUtf8Bytes(KmsKeyWireMapper.ToWire(request), KmsJsonContext.Wire.KeyIdWireRequest);
        KmsHttpResponse response = await SendAsync(operation, request.KeyId, body, cancellationToken).ConfigureAwait(false);
        GetPublicKeyWireResponse wire = KmsResponseReader.Read(response, operation, KmsJsonContext.Wire.GetPublicKeyWireResponse);
        return KmsKeyWireMapper.FromWire(wire, request, out string? problem, out Exception? cause) ?? throw KmsResponseReader.Malformed(response, operation, problem!, cause);
    }

    /// <summary>A description without credentials.</summary>
    /// <returns>The endpoint, the project and the kind of credentials.</returns>
    public override string ToString() => $"HttpKmsTransport {{ {_settings} }}";

    // One call: the pipeline's attempts, then (IAM token from a provider only) one more round with
    // a refreshed token if the service rejected the token. Takes ownership of the body and zeroes it.
    private async Task<KmsHttpResponse> SendAsync(KmsOperation operation, string? keyId, byte[] body, CancellationToken cancellationToken)
    {
        using KmsCallTelemetry telemetry = KmsCallTelemetry.Start(operation, keyId, _settings.Endpoint.Host, _timeProvider);
        var call = new KmsCall(operation, keyId, KmsEndpoints.ForOperation(_settings.Endpoint, _settings.ProjectId, operation.Name), body);
        int status = 0;
        string? errorCode = null;
        string? requestId = null;
        try
        {
            KmsHttpResponse response = await ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
            if (_settings.Credentials.CanRefresh && IsTokenRejected(response))
            {
                TransportLog.RefreshingToken(_logger, operation.Name, keyId, response.Status, response.ErrorCode, response.RequestId);
                call.ForceTokenRefresh = true;
                response = await ExecuteAsync(call, cancellationToken).ConfigureAwait(false);
            }

            status = response.Status;
            errorCode = response.ErrorCode;
            requestId = response.RequestId;
            if (!response.IsSuccess)
            {
                TransportLog.Failed(_logger, operation.Name, keyId, response.Status, response.ErrorCode, call.Attempts, response.RequestId);
                throw new KmsRequestFailedException(response.Status, response.ErrorCode, response.ErrorMessage, response.RequestId, operation.Name) { AfterRetry = call.Retries > 0 };
            }

            return response;
        }
        catch (KmsRequestFailedException ex) when (ex.Status == 0)
        {
            TransportLog.NoResponse(_logger, operation.Name, keyId, call.Attempts, ex.InnerException?.GetType().Name);
            throw;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(body);
            telemetry.Complete(call, status, errorCode, requestId);
        }
    }

    // Runs the pipeline; a failure without a response becomes status 0, caller cancellation stays.
    private async Task<KmsHttpResponse> ExecuteAsync(KmsCall call, CancellationToken cancellationToken)
    {
        ResilienceContext context = ResilienceContextPool.Shared.Get(call.Operation.Name, cancellationToken);
        context.Properties.Set(KmsResiliencePipeline.CallKey, call);
        try
        {
            return await _pipeline.ExecuteAsync(
                static (ctx, state) => state.Transport.SendAttemptAsync(state.Call, ctx.CancellationToken),
                context,
                (Transport: this, Call: call)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (TimeoutRejectedException ex)
        {
            string which = ex.Timeout >= _totalTimeout ? "total" : "attempt";
            throw NoResponse(call, string.Create(CultureInfo.InvariantCulture, $"no response within the {which} timeout of {ex.Timeout.TotalSeconds:0.###} s"), ex);
        }
        catch (HttpRequestException ex)
        {
            throw NoResponse(call, $"the connection failed ({ex.HttpRequestError}): {ex.Message}", ex);
        }
        catch (IOException ex)
        {
            throw NoResponse(call, $"the connection was lost while reading the response: {ex.Message}", ex);
        }
        catch (OperationCanceledException ex)
        {
            // Not the caller's token: the HttpClient's own Timeout of a caller-supplied client.
            throw NoResponse(call, "the HTTP client timed out (HttpClient.Timeout)", ex);
        }
        finally
        {
            ResilienceContextPool.Shared.Return(context);
        }
    }

    private async ValueTask<KmsHttpResponse> SendAttemptAsync(KmsCall call, CancellationToken cancellationToken)
    {
        int attempt = ++call.Attempts;
        using var request = new HttpRequestMessage(HttpMethod.Post, call.Uri);
        var content = new ByteArrayContent(call.Body);
        content.Headers.TryAddWithoutValidation("Content-Type", JsonContentType);
        request.Content = content;
        request.Headers.TryAddWithoutValidation("User-Agent", s_userAgent);
        request.Headers.TryAddWithoutValidation(KmsCredentials.ProjectIdHeader, _settings.ProjectId);

        string? rejectedToken = call.ForceTokenRefresh ? call.SentToken : null;
        call.ForceTokenRefresh = false;

        // A new X-Sdk-Date and signature for every attempt.
        await _settings.Credentials.ApplyAsync(request, call.Body, _timeProvider.GetUtcNow(), rejectedToken, cancellationToken).ConfigureAwait(false);
        call.SentToken = request.Headers.TryGetValues(KmsCredentials.AuthTokenHeader, out IEnumerable<string>? sent) ? sent.FirstOrDefault() : null;

        TransportLog.Sending(_logger, call.Operation.Name, call.KeyId, attempt);
        HttpClient client = _httpClient();
        using HttpResponseMessage response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        RedirectGuard.ThrowIfRedirected(call, response);
        KmsHttpResponse result = await KmsHttpResponse.ReadAsync(response, KmsHttpResponse.MaxBodyBytes, cancellationToken).ConfigureAwait(false);
        TransportLog.Received(_logger, call.Operation.Name, call.KeyId, attempt, result.Status, result.ErrorCode, result.RequestId);
        return result;
    }

    private bool IsTokenRejected(KmsHttpResponse response) =>
        _settings.Credentials.IsToken && KmsContract.IsAuthTokenRefused(response.Status, response.ErrorCode);

    private static KmsRequestFailedException NoResponse(KmsCall call, string reason, Exception cause) =>
        new(0, null, $"{reason} after {call.Attempts} attempt(s); the service may or may not have processed the request", null, call.Operation.Name, cause);

    private static Func<HttpClient> CreateFactory(IHttpClientFactory httpClientFactory)
    {
        ArgumentNullException.ThrowIfNull(httpClientFactory);
        return () => httpClientFactory.CreateClient(HttpClientName);
    }

    private static Func<HttpClient> CreateFactory(HttpClient httpClient)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        return () => httpClient;
    }

    private static KmsRetryOptions Copy(KmsRetryOptions retry) => new()
    {
        MaxRetryAttempts = retry.MaxRetryAttempts,
        BaseDelay = retry.BaseDelay,
        MaxDelay = retry.MaxDelay,
        AttemptTimeout = retry.AttemptTimeout,
        TotalTimeout = retry.TotalTimeout,
    };

    private static string BuildUserAgent()
    {
        Assembly assembly = typeof(HttpKmsTransport).Assembly;
        string version = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion
            ?? assembly.GetName().Version?.ToString(3)
            ?? "0.0.0";
        int plus = version.IndexOf('+', StringComparison.Ordinal);
        if (plus >= 0)
        {
            version = version[..plus];
        }

        return $"KmsImport.Sdk/{version} ({RuntimeInformation.FrameworkDescription})";
    }
}
