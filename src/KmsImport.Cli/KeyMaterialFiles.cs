using System.Security.Cryptography;
using System.Runtime.InteropServices;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Cli;

/// <summary>Turns the files a user has into <see cref="KeyMaterial"/>, zeroing every buffer that held plaintext.</summary>
internal static class KeyMaterialFiles
{
    /// <summary>Raw symmetric material (the guide's <c>PlaintextKeyMaterial.bin</c>).</summary>
    /// <param name="path">The file, or - for standard input.</param>
    /// <param name="keySpec">The key spec, or null to guess it from the length.</param>
    /// <param name="context">The environment.</param>
    public static KeyMaterial LoadSymmetric(string path, KeySpec? keySpec, CliContext context)
    {
        byte[] bytes = InputFiles.ReadBytes(path, "--material", context);
        try
        {
            return KeyMaterial.FromSymmetricKey(bytes, keySpec ?? GuessSymmetricSpec(bytes.Length));
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    /// <summary>The key spec raw symmetric material of this length most likely is, when none was given.</summary>
    public static KeySpec GuessSymmetricSpec(int length) => length switch
    {
        16 => KeySpec.Sm4,
        48 => KeySpec.Hmac384,
        64 => KeySpec.Hmac512,
        _ => KeySpec.Aes256,
    };

    /// <summary>A private key: PEM or DER; PKCS#8 (encrypted with <c>--password-file</c> or not), PKCS#1 RSA or SEC1 EC.</summary>
    public static KeyMaterial LoadPrivateKey(string path, string? passwordPath, CliContext context, KeySpec? expectedKeySpec = null)
    {
        InputFiles.EnsureSingleStandardInput(path, passwordPath);
        byte[] bytes = [];
        char[] password = [];
        try
        {
            // Read inside the try: a failure reading the password file must not leave the key unzeroed.
            bytes = InputFiles.ReadBytes(path, "--private-key", context);
            password = passwordPath is null ? [] : InputFiles.ReadPassword(passwordPath, context);
            return KeyMaterial.FromPrivateKey(bytes, password, expectedKeySpec);
        }
        catch (KeyImportValidationException ex)
        {
            string hint = passwordPath is null && ex.Message.Contains("password", StringComparison.OrdinalIgnoreCase)
                ? " Give it with --password-file FILE (or - for standard input)."
                : string.Empty;
            throw new KeyImportValidationException($"--private-key {path}: {ex.Message}{hint}", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            CryptographicOperations.ZeroMemory(MemoryMarshal.AsBytes(password.AsSpan()));
        }
    }
}
