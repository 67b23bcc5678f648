using KmsImport.Sdk.Contract;

namespace KmsImport.Sdk.Authentication;

/// <summary>The <c>HUAWEICLOUD_SDK_*</c> variables read by Huawei's SDKs and CLI.</summary>
internal static class KmsEnvironmentVariables
{
    public const string AccessKey = KmsContract.AccessKeyVariable;
    public const string SecretKey = KmsContract.SecretKeyVariable;
    public const string SecurityToken = KmsContract.SecurityTokenVariable;
    public const string ProjectId = KmsContract.ProjectIdVariable;
    public const string Region = KmsContract.RegionVariable;

    /// <summary>The value, or null when unset or blank.</summary>
    public static string? Read(this IEnvironmentVariableReader reader, string name)
    {
        string? value = reader.Get(name);
        return string.IsNullOrWhiteSpace(value) ? null : value.Trim();
    }
}
