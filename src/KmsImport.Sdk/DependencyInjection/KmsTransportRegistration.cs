using KmsImport.Sdk.Transport;
using Microsoft.Extensions.DependencyInjection;

namespace KmsImport.Sdk.DependencyInjection;

/// <summary>
/// Tells the options validator whether the <see cref="IKmsTransport"/> the container resolves is
/// the HTTPS transport (which needs an endpoint, a project and credentials) or something else,
/// such as the local emulator, registered before or after <c>AddKeyImportClient</c>.
/// </summary>
internal sealed class KmsTransportRegistration
{
    private readonly IServiceCollection _services;
    private readonly Func<IServiceProvider, IKmsTransport> _httpTransportFactory;

    public KmsTransportRegistration(IServiceCollection services, Func<IServiceProvider, IKmsTransport> httpTransportFactory)
    {
        _services = services;
        _httpTransportFactory = httpTransportFactory;
    }

    // The last registration is the one the container resolves.
    public bool UsesHttpTransport =>
        _services.LastOrDefault(d => d.ServiceType == typeof(IKmsTransport) && !d.IsKeyedService) is { } descriptor
        && (ReferenceEquals(descriptor.ImplementationFactory, _httpTransportFactory) || descriptor.ImplementationType == typeof(HttpKmsTransport));
}
