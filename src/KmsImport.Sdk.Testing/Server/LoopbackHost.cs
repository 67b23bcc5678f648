using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk.Testing.Server;

/// <summary>Listening: a slim Kestrel host on loopback addresses only, without logging or a Server header.</summary>
internal static class LoopbackHost
{
    /// <summary>Builds the host for <paramref name="urls"/> (already checked by <see cref="LoopbackUrls.Normalize"/>).</summary>
    public static WebApplication Build(string urls, long maxRequestBodyBytes)
    {
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
            kestrel.Limits.MaxRequestBodySize = maxRequestBodyBytes;
        });

        return builder.Build();
    }

    /// <summary>The addresses a started host actually listens on, each ending in <c>/</c>.</summary>
    /// <exception cref="InvalidOperationException">An address is not loopback.</exception>
    public static Uri[] GetListeningAddresses(WebApplication app)
    {
        ICollection<string> addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        LoopbackUrls.EnsureLoopback(addresses);
        return addresses.Select(a => new Uri(a.EndsWith('/') ? a : a + "/")).ToArray();
    }
}
