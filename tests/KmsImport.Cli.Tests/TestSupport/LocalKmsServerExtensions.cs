using KmsImport.Sdk.Testing;

namespace KmsImport.Cli.Tests.TestSupport;

/// <summary>What kms-import needs to talk to an emulator served on loopback.</summary>
internal static class LocalKmsServerExtensions
{
    /// <summary>The URL for <c>--endpoint</c>.</summary>
    public static string Endpoint(this LocalKmsServer server) => server.BaseAddress.ToString().TrimEnd('/');

    /// <summary>The server's AK/SK and project id as kms-import reads them from the environment.</summary>
    public static Dictionary<string, string> CliEnvironment(this LocalKmsServer server) => new()
    {
        ["HUAWEICLOUD_SDK_AK"] = server.AccessKey,
        ["HUAWEICLOUD_SDK_SK"] = server.SecretKey,
        ["HUAWEICLOUD_SDK_PROJECT_ID"] = server.ProjectId,
    };
}
