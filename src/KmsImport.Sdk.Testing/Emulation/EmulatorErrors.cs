namespace KmsImport.Sdk.Testing.Emulation;

/// <summary>The emulator's errors: <see cref="KmsRequestFailedException"/> as the service would give them.</summary>
internal static class EmulatorErrors
{
    public static KmsRequestFailedException Create(int status, string code, string message, string requestId, string operation) =>
        new(status, code, message, requestId, operation);

    public static KmsRequestFailedException InvalidParameter(string message, string requestId, string operation) =>
        Create(400, EmulatorErrorCodes.InvalidParameter, message, requestId, operation);

    public static KmsRequestFailedException DecryptionFailed(WrappingAlgorithm algorithm, string requestId) =>
        Create(400, EmulatorErrorCodes.DecryptionFailed, $"encrypted_key_material could not be decrypted with the wrapping private key ({algorithm})", requestId, KmsOperations.ImportKeyMaterial);
}
