using KmsImport.Sdk.Authentication;

namespace KmsImport.Sdk;

/// <summary>
/// The credentials Huawei's SDKs and CLI read from the environment: <c>HUAWEICLOUD_SDK_AK</c> and
/// <c>HUAWEICLOUD_SDK_SK</c>, with <c>HUAWEICLOUD_SDK_SECURITY_TOKEN</c> for temporary AK/SK. The
/// default when a client is given no credential. The variables are read when the client is created.
/// </summary>
public sealed class EnvironmentCredential : KmsCredential
{
    /// <summary>The access key variable.</summary>
    public const string AccessKeyVariable = KmsEnvironmentVariables.AccessKey;

    /// <summary>The secret key variable.</summary>
    public const string SecretKeyVariable = KmsEnvironmentVariables.SecretKey;

    /// <summary>The security token variable (temporary AK/SK).</summary>
    public const string SecurityTokenVariable = KmsEnvironmentVariables.SecurityToken;

    /// <summary>The kind of credential.</summary>
    /// <returns><c>EnvironmentCredential { HUAWEICLOUD_SDK_AK, HUAWEICLOUD_SDK_SK }</c>.</returns>
    public override string ToString() => $"EnvironmentCredential {{ {AccessKeyVariable}, {SecretKeyVariable} }}";

    internal override KmsCredentials? Resolve(IEnvironmentVariableReader environment, List<string> failures)
    {
        string? ak = environment.Read(KmsEnvironmentVariables.AccessKey);
        string? sk = environment.Read(KmsEnvironmentVariables.SecretKey);
        if (ak is not null && sk is not null)
        {
            return new AccessKeyCredentials(ak, sk, environment.Read(KmsEnvironmentVariables.SecurityToken)) { Source = "environment" };
        }

        failures.Add(ak is null && sk is null
            ? $"No credentials: pass an AccessKeyCredential or IamTokenCredential to the client (or register a KmsCredential), or set the {AccessKeyVariable} and {SecretKeyVariable} environment variables."
            : $"Only one of the {AccessKeyVariable} and {SecretKeyVariable} environment variables is set ({(ak is null ? AccessKeyVariable : SecretKeyVariable)} is missing); set both.");
        return null;
    }
}
