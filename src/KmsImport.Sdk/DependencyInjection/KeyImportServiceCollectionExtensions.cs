using KmsImport.Sdk.Authentication;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.DependencyInjection;
using KmsImport.Sdk.Transport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace KmsImport.Sdk;

/// <summary>Registers <see cref="IKeyImportClient"/> and its HTTPS transport.</summary>
public static class KeyImportServiceCollectionExtensions
{
    // The registration of the HTTPS transport, recognised by the validator to decide whether the
    // endpoint and credentials are needed (an emulator registered as IKmsTransport needs neither).
    private static readonly Func<IServiceProvider, IKmsTransport> s_httpTransportFactory = CreateHttpTransport;

    /// <summary>
    /// Registers <see cref="IKeyImportClient"/> over <see cref="HttpKmsTransport"/> with options
    /// from the <c>HUAWEICLOUD_SDK_*</c> environment variables (and any other configuration of
    /// <see cref="KeyImportClientOptions"/>), validated at start. The credential is the
    /// <see cref="KmsCredential"/> registered in the container, or an <see cref="EnvironmentCredential"/>.
    /// </summary>
    /// <param name="services">The services.</param>
    /// <returns>The builder of the named <see cref="HttpClient"/> <see cref="HttpKmsTransport.HttpClientName"/>, to add handlers or configure the primary handler.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> is null.</exception>
    /// <remarks>
    /// An <see cref="IKmsTransport"/> registered before (the local emulator) is kept. Do not add a
    /// resilience handler to the returned builder: the transport already retries, per operation.
    /// A primary handler set through the builder that is an <see cref="HttpClientHandler"/> or a
    /// <see cref="SocketsHttpHandler"/> gets <c>AllowAutoRedirect = false</c>; any other handler is
    /// checked by the final request URI of each response.
    /// </remarks>
    public static IHttpClientBuilder AddKeyImportClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return AddCore(services);
    }

    /// <summary>Registers <see cref="IKeyImportClient"/> over <see cref="HttpKmsTransport"/>, configuring the options in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configure">Configures the options; unset project and region fall back to the <c>HUAWEICLOUD_SDK_*</c> environment variables. The credential is the registered <see cref="KmsCredential"/>, or an <see cref="EnvironmentCredential"/>.</param>
    /// <returns>The builder of the named <see cref="HttpClient"/> <see cref="HttpKmsTransport.HttpClientName"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configure"/> is null.</exception>
    public static IHttpClientBuilder AddKeyImportClient(this IServiceCollection services, Action<KeyImportClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.Configure(configure);
        return AddCore(services);
    }

    /// <summary>Registers <see cref="IKeyImportClient"/> over <see cref="HttpKmsTransport"/>, binding the options to a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="configuration">The section, for example <c>configuration.GetSection("KmsImport")</c>, with keys such as <c>Region</c>, <c>Cloud</c>, <c>ProjectId</c> and <c>Retry:MaxRetryAttempts</c>. Keep secrets in a secret store or the environment variables.</param>
    /// <returns>The builder of the named <see cref="HttpClient"/> <see cref="HttpKmsTransport.HttpClientName"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="configuration"/> is null.</exception>
    public static IHttpClientBuilder AddKeyImportClient(this IServiceCollection services, IConfigurationSection configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<KeyImportClientOptions>().Bind(configuration);
        return AddCore(services);
    }

    /// <summary>Registers <see cref="IKeyImportClient"/> over <see cref="HttpKmsTransport"/> with a credential, configuring the options in code.</summary>
    /// <param name="services">The services.</param>
    /// <param name="credential">Who requests are sent as; registered as the container's <see cref="KmsCredential"/>, replacing any other.</param>
    /// <param name="configure">Configures the options; null keeps them (region and project id then come from the <c>HUAWEICLOUD_SDK_*</c> environment variables).</param>
    /// <returns>The builder of the named <see cref="HttpClient"/> <see cref="HttpKmsTransport.HttpClientName"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/> or <paramref name="credential"/> is null.</exception>
    public static IHttpClientBuilder AddKeyImportClient(this IServiceCollection services, KmsCredential credential, Action<KeyImportClientOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(credential);
        services.Replace(ServiceDescriptor.Singleton(credential));
        if (configure is not null)
        {
            services.Configure(configure);
        }

        return AddCore(services);
    }

    /// <summary>Registers <see cref="IKeyImportClient"/> over <see cref="HttpKmsTransport"/> with a credential, binding the options to a configuration section.</summary>
    /// <param name="services">The services.</param>
    /// <param name="credential">Who requests are sent as; registered as the container's <see cref="KmsCredential"/>, replacing any other.</param>
    /// <param name="configuration">The section with the non-secret settings (<c>Region</c>, <c>Cloud</c>, <c>ProjectId</c>, <c>Retry:...</c>).</param>
    /// <returns>The builder of the named <see cref="HttpClient"/> <see cref="HttpKmsTransport.HttpClientName"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="services"/>, <paramref name="credential"/> or <paramref name="configuration"/> is null.</exception>
    public static IHttpClientBuilder AddKeyImportClient(this IServiceCollection services, KmsCredential credential, IConfigurationSection configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(credential);
        ArgumentNullException.ThrowIfNull(configuration);
        services.Replace(ServiceDescriptor.Singleton(credential));
        services.AddOptions<KeyImportClientOptions>().Bind(configuration);
        return AddCore(services);
    }

    private static IHttpClientBuilder AddCore(IServiceCollection services)
    {
        services.AddOptions<KeyImportClientOptions>().ValidateOnStart();
        services.TryAddSingleton<IEnvironmentVariableReader>(SystemEnvironmentVariableReader.Instance);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(new KmsTransportRegistration(services, s_httpTransportFactory));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<KeyImportClientOptions>, KeyImportClientOptionsValidator>());

        services.TryAddSingleton<IKmsTransport>(s_httpTransportFactory);
        services.TryAddSingleton<IKeyImportClient>(sp => new KeyImportClient(
            sp.GetRequiredService<IKmsTransport>(),
            sp.GetRequiredService<IOptions<KeyImportClientOptions>>().Value,
            sp.GetService<IKeyMaterialWrapper>(),
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<KeyImportClient>>()));

        // Runs after every configuration, including a primary handler the caller set through the
        // returned builder: a known handler type never follows redirects (RedirectGuard).
        services.PostConfigure<HttpClientFactoryOptions>(HttpKmsTransport.HttpClientName, static options =>
            options.HttpMessageHandlerBuilderActions.Add(static builder => RedirectGuard.TryDisableAutoRedirect(builder.PrimaryHandler)));

        // The same handler and client settings as a KeyImportClient built without DI (KmsHttpClients).
        return services.AddHttpClient(HttpKmsTransport.HttpClientName)
            .ConfigureHttpClient(KmsHttpClients.Configure)
            .ConfigurePrimaryHttpMessageHandler(static () => KmsHttpClients.CreatePrimaryHandler())
            .RedactLoggedHeaders([KmsCredentials.AuthorizationHeader, KmsCredentials.AuthTokenHeader, KmsCredentials.SecurityTokenHeader]);
    }

    private static IKmsTransport CreateHttpTransport(IServiceProvider services) => new HttpKmsTransport(
        () => services.GetRequiredService<IHttpClientFactory>().CreateClient(HttpKmsTransport.HttpClientName),
        KmsCredentialResolution.FromServices(services),
        services.GetRequiredService<IOptions<KeyImportClientOptions>>().Value,
        services.GetService<TimeProvider>(),
        services.GetService<ILogger<HttpKmsTransport>>(),
        services.GetRequiredService<IEnvironmentVariableReader>());
}
