using KmsImport.Sdk;
using KmsImport.Sdk.Batches;
using KmsImport.Sdk.Transport;

namespace KmsImport.Cli;

/// <summary>Builds the SDK's client the way a ten-line program does: its constructor, without DI.</summary>
internal static class KmsClientFactory
{
    public static KmsClientLease Create(KmsConnection connection) => Create(connection, null);

    /// <summary>
    /// A client whose HTTP requests, when <paramref name="limiter"/> is given, follow its adaptive
    /// concurrency (a handler in the client's HTTP pipeline, which takes the DI registration).
    /// </summary>
    public static KmsClientLease Create(KmsConnection connection, AdaptiveConcurrencyLimiter? limiter)
    {
        ArgumentNullException.ThrowIfNull(connection);
        KeyImportClientOptions options = connection.Options;
        if (limiter is null)
        {
            KeyImportClient client = options.Endpoint is { } endpoint
                ? new KeyImportClient(endpoint, connection.Credential, options)
                : new KeyImportClient(options.Region!, options.Cloud, connection.Credential, options);
            return new KmsClientLease(client, client);
        }

        // The SDK's transport over an HTTP client of our own, so the limiter sits in its pipeline: the
        // same rules as the SDK's own stack (no redirects, no decompression, the transport owns timeouts).
        var http = new HttpClient(new AdaptiveConcurrencyHandler(limiter) { InnerHandler = CreatePrimaryHandler() }, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        try
        {
            var transport = new HttpKmsTransport(http, connection.Credential, options);
            return new KmsClientLease(http, new KeyImportClient(transport, options));
        }
        catch
        {
            http.Dispose();
            throw;
        }
    }

    internal static void CopyTo(KeyImportClientOptions source, KeyImportClientOptions target)
    {
        target.Endpoint = source.Endpoint;
        target.Region = source.Region;
        target.Cloud = source.Cloud;
        target.ProjectId = source.ProjectId;
        target.ImportParametersSafetyMargin = source.ImportParametersSafetyMargin;
        target.Retry = source.Retry;
        target.Capabilities = source.Capabilities;
        target.AllowLegacyWrappingAlgorithms = source.AllowLegacyWrappingAlgorithms;
    }

    // As the SDK's own primary handler: no redirects, no decompression, connections renewed every 5 minutes (DNS changes are seen).
    internal static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };
}
