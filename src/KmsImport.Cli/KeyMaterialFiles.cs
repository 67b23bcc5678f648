using System.Runtime.InteropServices;
using System.Security.Cryptography;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Cli;

/// <summary>Turns the files a user has into <see cref="KeyMaterial"/>, zeroing every buffer that held plaintext.</summary>
internal static class KeyMaterialFiles
{
    /// <summary>
    /// Symmetric material: raw bytes (the guide's <c>PlaintextKeyMaterial.bin</c>) or Base64 text of them (one line
    /// or wrapped, as <c>openssl rand -base64</c> writes it). The length the spec expects decides: a file of exactly
    /// that many bytes is raw, even when all its bytes happen to be Base64 characters; anything else must be Base64
    /// of that many bytes. Without a spec, 16, 32, 48 and 64 bytes are the expected lengths, and a file of such a length
    /// made only of Base64 characters that decode to one of them too (64 characters: Base64 of 48 bytes) is refused as ambiguous.
    /// </summary>
    /// <param name="path">The file, or - for standard input.</param>
    /// <param name="keySpec">The key spec, or null to guess it from the length.</param>
    /// <param name="context">The environment.</param>
    public static KeyMaterial LoadSymmetric(string path, KeySpec? keySpec, CliContext context)
    {
        int? expected = keySpec?.SymmetricMaterialLength;
        // Neither raw nor Base64 of an expected length: the raw bytes get the SDK's own explanation (wrong length, hex text, ...).
        byte[] bytes = InputFiles.ReadBinaryOrBase64(path, "--material", context, n => expected is int e ? n == e : n is 16 or 32 or 48 or 64, lengthFirst: true, out _, out byte[] unrecognized)
            ?? unrecognized;

        try
        {
            if (keySpec is null && LooksLikeBase64OfMaterial(bytes, out int decodedLength))
            {
                throw new KeyImportValidationException(
                    $"its {bytes.Length} bytes are all Base64 characters and decode to {decodedLength} bytes, a material length of their own, so it is ambiguous whether the file is raw or Base64. Give --spec (the length it expects decides), or decode the file first ('openssl base64 -d -A -in FILE -out material.bin').");
            }

            return KeyMaterial.FromSymmetricKey(bytes, keySpec ?? GuessSymmetricSpec(bytes.Length));
        }
        catch (KeyImportValidationException ex)
        {
            throw new KeyImportValidationException($"--material {path}: {ex.Message}", ex);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
        }
    }

    // Raw material of an expected length that is also Base64 text of an expected length (without a final newline).
    private static bool LooksLikeBase64OfMaterial(ReadOnlySpan<byte> bytes, out int decodedLength)
    {
        decodedLength = 0;
        foreach (byte b in bytes)
        {
            if (!(char.IsAsciiLetterOrDigit((char)b) || b is (byte)'+' or (byte)'/' or (byte)'='))
            {
                return false;
            }
        }

        if (bytes.Length % 4 != 0)
        {
            return false;
        }

        int padding = bytes.EndsWith("=="u8) ? 2 : bytes.EndsWith("="u8) ? 1 : 0;
        decodedLength = (bytes.Length / 4 * 3) - padding;
        return decodedLength is 16 or 32 or 48 or 64 && System.Buffers.Text.Base64.IsValid(bytes);
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
