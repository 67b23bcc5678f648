using KmsImport.Sdk.Authentication;
using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk;

// Construction without DI, the Azure SDK way: an endpoint (or a region and a cloud), a credential
// and options. The client then owns the HTTP client and handler it creates, and disposes them.
public partial class KeyImportClient : IDisposable
{
    private readonly HttpClient? _ownedHttpClient;
    private int _disposed;

    /// <summary>Creates a client that talks to <paramref name="endpoint"/> over HTTPS, without DI.</summary>
    /// <param name="endpoint">The KMS endpoint, for example <c>https://kms.eu-de.otc.t-systems.com</c> (HTTP only to a loopback address, for the emulator).</param>
    /// <param name="credential">Who requests are sent as: <see cref="AccessKeyCredential"/>, <see cref="IamTokenCredential"/> or <see cref="EnvironmentCredential"/>.</param>
    /// <param name="options">The project id and resilience settings; defaults when null. Their endpoint and region are ignored. Read once: later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="endpoint"/> or <paramref name="credential"/> is null.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The endpoint, the options or the credential are invalid or incomplete (for example no project id); the message lists every problem. Nothing was sent.</exception>
    /// <remarks>
    /// The client creates its own <see cref="HttpClient"/> (no automatic redirects, the same resilience
    /// pipeline as under <c>AddKeyImportClient</c>) and disposes it in <see cref="Dispose()"/>. Create one
    /// client per endpoint and credential and share it: it is thread-safe. It logs nothing; for logs
    /// and metrics through <c>ILogger</c>, register it with <c>AddKeyImportClient</c>.
    /// </remarks>
    public KeyImportClient(Uri endpoint, KmsCredential credential, KeyImportClientOptions? options = null)
        : this(OwnedTransport.Create(WithEndpoint(endpoint, options), credential))
    {
    }

    /// <summary>Creates a client that talks to the KMS endpoint of <paramref name="region"/> in <paramref name="cloud"/>, without DI.</summary>
    /// <param name="region">The region, for example <c>eu-de</c> or <c>cn-north-4</c>.</param>
    /// <param name="cloud">The cloud the region belongs to.</param>
    /// <param name="credential">Who requests are sent as: <see cref="AccessKeyCredential"/>, <see cref="IamTokenCredential"/> or <see cref="EnvironmentCredential"/>.</param>
    /// <param name="options">The project id and resilience settings; defaults when null. Their endpoint, region and cloud are ignored. Read once: later changes have no effect.</param>
    /// <exception cref="ArgumentNullException"><paramref name="region"/> or <paramref name="credential"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="region"/> is empty or blank.</exception>
    /// <exception cref="Microsoft.Extensions.Options.OptionsValidationException">The region, the options or the credential are invalid or incomplete; the message lists every problem. Nothing was sent.</exception>
    /// <remarks>The client creates and owns its <see cref="HttpClient"/>, as <see cref="KeyImportClient(Uri, KmsCredential, KeyImportClientOptions?)"/> does.</remarks>
    public KeyImportClient(string region, KmsCloud cloud, KmsCredential credential, KeyImportClientOptions? options = null)
        : this(OwnedTransport.Create(WithRegion(region, cloud, options), credential))
    {
    }

    private KeyImportClient(OwnedTransport owned)
        : this(owned.Transport, owned.Options, wrapper: null, timeProvider: null, logger: null)
    {
        _ownedHttpClient = owned.HttpClient;
    }

    /// <summary>Disposes the HTTP client this client created (constructed with an endpoint or a region); a client over a transport owns nothing.</summary>
    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    /// <summary>Releases what the client owns.</summary>
    /// <param name="disposing">True when called from <see cref="Dispose()"/>.</param>
    protected virtual void Dispose(bool disposing)
    {
        if (disposing && Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _ownedHttpClient?.Dispose();
        }
    }

    private static KeyImportClientOptions WithEndpoint(Uri endpoint, KeyImportClientOptions? options)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        KeyImportClientOptions copy = (options ?? new KeyImportClientOptions()).Clone();
        copy.Endpoint = endpoint;
        copy.Region = null;
        return copy;
    }

    private static KeyImportClientOptions WithRegion(string region, KmsCloud cloud, KeyImportClientOptions? options)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(region);
        KeyImportClientOptions copy = (options ?? new KeyImportClientOptions()).Clone();
        copy.Endpoint = null;
        copy.Region = region;
        copy.Cloud = cloud;
        return copy;
    }

    // The transport over an HTTP client the SDK creates; the client is disposed if the transport cannot be built.
    private sealed record OwnedTransport(HttpKmsTransport Transport, HttpClient HttpClient, KeyImportClientOptions Options)
    {
        public static OwnedTransport Create(KeyImportClientOptions options, KmsCredential credential)
        {
            ArgumentNullException.ThrowIfNull(credential);
            HttpClient httpClient = KmsHttpClients.CreateOwned();
            try
            {
                var transport = new HttpKmsTransport(
                    () => httpClient,
                    credential,
                    options,
                    timeProvider: null,
                    logger: null,
                    SystemEnvironmentVariableReader.Instance);
                return new OwnedTransport(transport, httpClient, options);
            }
            catch
            {
                httpClient.Dispose();
                throw;
            }
        }
    }
}
