using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace KmsImport.Sdk.Testing;

/// <summary>Registers the in-process <see cref="LocalKms"/> emulator.</summary>
public static class LocalKmsServiceCollectionExtensions
{
    /// <summary>
    /// Makes <see cref="IKmsTransport"/> a singleton <see cref="LocalKms"/> (also resolvable as
    /// <see cref="LocalKms"/>, for the inspection methods). It replaces a transport registered
    /// before, and a later <c>AddKeyImportClient</c> keeps it, since that only tries to add its own.
    /// The emulator's clock is the registered <see cref="TimeProvider"/>, or the system clock.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Configures the emulator's options.</param>
    /// <returns>The service collection.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    public static IServiceCollection AddLocalKms(this IServiceCollection services, Action<LocalKmsOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var options = new LocalKmsOptions();
        configure?.Invoke(options);
        options.Validate();

        services.RemoveAll<LocalKms>();
        services.AddSingleton(sp => new LocalKms(options, sp.GetService<TimeProvider>()));
        services.RemoveAll<IKmsTransport>();
        services.AddSingleton<IKmsTransport>(sp => sp.GetRequiredService<LocalKms>());
        return services;
    }
}
