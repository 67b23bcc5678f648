using KmsImport.Sdk.Authentication;

namespace KmsImport.Sdk;

/// <summary>
/// Who a client authenticates as: <see cref="AccessKeyCredential"/> (AK/SK, optionally temporary),
/// <see cref="IamTokenCredential"/> (an IAM token, static or from a provider) or
/// <see cref="EnvironmentCredential"/> (the <c>HUAWEICLOUD_SDK_*</c> variables, the default).
/// Credentials are kept apart from <see cref="KeyImportClientOptions"/>, which hold no secret.
/// </summary>
/// <remarks><c>ToString()</c> of every credential shows its kind, never a secret.</remarks>
public abstract class KmsCredential
{
    private protected KmsCredential()
    {
    }

    /// <summary>Turns the credential into the authenticator requests use; adds what is missing to <paramref name="failures"/> and returns null then.</summary>
    internal abstract KmsCredentials? Resolve(IEnvironmentVariableReader environment, List<string> failures);
}
