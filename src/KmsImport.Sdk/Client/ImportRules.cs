using KmsImport.Sdk.Transport;

namespace KmsImport.Sdk;

/// <summary>The checks the client and the wrapper share, so that every path refuses the same things with the same words.</summary>
internal static class ImportRules
{
    /// <summary>Refuses material of a spec the service does not import (SECP256K1, SM2, ...), before anything is wrapped or sent.</summary>
    /// <exception cref="KeyImportValidationException">The spec is not importable.</exception>
    public static void ThrowIfNotImportable(KeySpec spec)
    {
        if (!spec.IsImportable)
        {
            throw new KeyImportValidationException(
                $"{spec} material cannot be imported: the clouds document import for AES_256, HMAC_256, HMAC_384, HMAC_512, RSA_2048, RSA_3072, RSA_4096, EC_P256, EC_P384, SM4 and SM2 only.");
        }
    }

    /// <summary>Refuses import parameters issued for another key than the one asked for; nothing is wrapped or sent with them.</summary>
    /// <exception cref="KmsRequestFailedException">The answer names another key.</exception>
    public static ImportParameters ThrowIfOtherKey(string keyIdAsked, ImportParameters parameters)
    {
        if (!string.Equals(parameters.KeyId, keyIdAsked, StringComparison.Ordinal))
        {
            throw KmsRequestFailedException.ClientComposed(
                200,
                null,
                $"the get-parameters-for-import answer is for key {ServiceText.Clean(parameters.KeyId, 64)}, not for the key asked for ({keyIdAsked}); its wrapping key and token were not used and nothing was imported. Check the endpoint and any proxy in between",
                null,
                KmsOperation.GetParametersForImport.Name);
        }

        return parameters;
    }

    /// <summary>True when the service refused the import token (expired or not valid): fresh parameters may succeed.</summary>
    public static bool IsTokenRefused(KmsRequestFailedException exception) =>
        exception.ErrorCode is KmsErrorCodes.ImportTokenExpired or KmsErrorCodes.ImportTokenInvalid;

    /// <summary>True after errors after which the cached parameters must not be used again.</summary>
    public static bool IsParametersProblem(KmsRequestFailedException exception) =>
        IsTokenRefused(exception) || exception.ErrorCode is KmsErrorCodes.ImportTokenKeyMismatch or KmsErrorCodes.DecryptionFailed;

    /// <summary>Says what a cancelled import left behind: nothing sent, or a sent request whose outcome is unknown.</summary>
    public static OperationCanceledException Cancelled(string keyId, bool importSent, OperationCanceledException cancellation) =>
        new(
            importSent
                ? $"The import into key {keyId} was cancelled after the import request was sent; its outcome is unknown. Check the key before importing again (kms-import describe --key-id {keyId}: Enabled means the material was imported)."
                : $"The import into key {keyId} was cancelled before the import request was sent; nothing was imported.",
            cancellation,
            cancellation.CancellationToken);
}
