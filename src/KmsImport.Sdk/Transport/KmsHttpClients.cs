using System.Net;

namespace KmsImport.Sdk.Transport;

/// <summary>
/// The HTTP stack of the HTTPS transport, one statement for both ways of building a client:
/// <c>AddKeyImportClient</c> (through <see cref="IHttpClientFactory"/>) and the <see cref="KeyImportClient"/>
/// constructors (which own what they create).
/// </summary>
internal static class KmsHttpClients
{
    /// <summary>The primary handler: never follows redirects (credentials must not reach another host), no decompression.</summary>
    public static SocketsHttpHandler CreatePrimaryHandler() => new()
    {
        AllowAutoRedirect = false,
        AutomaticDecompression = DecompressionMethods.None,
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    };

    /// <summary>The client settings: the transport owns every timeout.</summary>
    public static void Configure(HttpClient client) => client.Timeout = Timeout.InfiniteTimeSpan;

    /// <summary>A client over a new primary handler, disposing the handler with it.</summary>
    public static HttpClient CreateOwned()
    {
        var client = new HttpClient(CreatePrimaryHandler(), disposeHandler: true);
        Configure(client);
        return client;
    }
}
