using Microsoft.Extensions.DependencyInjection;

namespace KmsImport.Sdk.DependencyInjection;

/// <summary>The credential of a container: the registered <see cref="KmsCredential"/>, or the environment.</summary>
internal static class KmsCredentialResolution
{
    public static KmsCredential FromServices(IServiceProvider services) =>
        services.GetService<KmsCredential>() ?? new EnvironmentCredential();
}
