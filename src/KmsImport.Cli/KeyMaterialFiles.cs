using System.Security.Cryptography;
using System.Text;
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
        48 => KeySpec.Hmac384,
        64 => KeySpec.Hmac512,
        _ => KeySpec.Aes256,
    };

    /// <summary>A private key: PEM or DER, PKCS#8 (encrypted with <c>--password-file</c> or not), PKCS#1 RSA or SEC1 EC.</summary>
    public static KeyMaterial LoadPrivateKey(string path, string? passwordPath, CliContext context)
    {
        InputFiles.EnsureSingleStandardInput(path, passwordPath);
        byte[] bytes = InputFiles.ReadBytes(path, "--private-key", context);
        char[] password = passwordPath is null ? [] : InputFiles.ReadPassword(passwordPath, context);
        try
        {
            return LooksLikePem(bytes) ? LoadPem(bytes, password, path) : LoadDer(bytes, password, path);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(bytes);
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(password.AsSpan()));
        }
    }

    private static bool LooksLikePem(ReadOnlySpan<byte> bytes) =>
        bytes.TrimStart("\uFEFF \t\r\n"u8).StartsWith("-----BEGIN "u8);

    private static KeyMaterial LoadPem(byte[] bytes, char[] password, string path)
    {
        var chars = new char[Encoding.UTF8.GetCharCount(bytes)];
        try
        {
            Encoding.UTF8.GetChars(bytes, chars);
            ReadOnlySpan<char> pem = chars;
            bool encrypted = pem.Contains("ENCRYPTED PRIVATE KEY", StringComparison.Ordinal);
            if (encrypted && password.Length == 0)
            {
                throw new CliUsageException($"--private-key {path} is encrypted; give its password with --password-file FILE (or - for standard input).");
            }

            if (pem.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
            {
                throw new CliUsageException($"--private-key {path} uses legacy OpenSSL PEM encryption; convert it: openssl pkcs8 -topk8 -in {path} -out key.p8.pem (then use --password-file).");
            }

            Exception? last = null;
            foreach (Func<KeyMaterial> attempt in new Func<KeyMaterial>[]
            {
                () => FromRsa(rsa => { if (encrypted) { rsa.ImportFromEncryptedPem(chars, password); } else { rsa.ImportFromPem(chars); } }),
                () => FromEc(ec => { if (encrypted) { ec.ImportFromEncryptedPem(chars, password); } else { ec.ImportFromPem(chars); } }),
            })
            {
                try
                {
                    return attempt();
                }
                catch (Exception ex) when (ex is CryptographicException or ArgumentException)
                {
                    last = ex;
                }
            }

            throw new CliUsageException(
                encrypted
                    ? $"--private-key {path}: cannot decrypt it (wrong password?) or it is not an RSA or EC private key."
                    : $"--private-key {path}: not an RSA or EC private key in PEM (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY).",
                last);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(System.Runtime.InteropServices.MemoryMarshal.AsBytes(chars.AsSpan()));
        }
    }

    private static KeyMaterial LoadDer(byte[] der, char[] password, string path)
    {
        var attempts = new List<Func<KeyMaterial>>();
        if (password.Length > 0)
        {
            attempts.Add(() => FromRsa(rsa => rsa.ImportEncryptedPkcs8PrivateKey(password, der, out _)));
            attempts.Add(() => FromEc(ec => ec.ImportEncryptedPkcs8PrivateKey(password, der, out _)));
        }

        attempts.Add(() => FromRsa(rsa => rsa.ImportPkcs8PrivateKey(der, out _)));
        attempts.Add(() => FromRsa(rsa => rsa.ImportRSAPrivateKey(der, out _)));
        attempts.Add(() => FromEc(ec => ec.ImportPkcs8PrivateKey(der, out _)));
        attempts.Add(() => FromEc(ec => ec.ImportECPrivateKey(der, out _)));

        Exception? last = null;
        foreach (Func<KeyMaterial> attempt in attempts)
        {
            try
            {
                return attempt();
            }
            catch (CryptographicException ex)
            {
                last = ex;
            }
        }

        throw new CliUsageException(
            password.Length > 0
                ? $"--private-key {path}: cannot decrypt it (wrong password?) or it is not an RSA or EC private key."
                : $"--private-key {path}: not an RSA or EC private key (PEM, or DER as PKCS#8, PKCS#1 or SEC1); if it is encrypted, add --password-file.",
            last);
    }

    private static KeyMaterial FromRsa(Action<RSA> import)
    {
        using var rsa = RSA.Create();
        import(rsa);
        return KeyMaterial.FromRsa(rsa);
    }

    private static KeyMaterial FromEc(Action<ECDsa> import)
    {
        using var ec = ECDsa.Create();
        import(ec);
        return KeyMaterial.FromECDsa(ec);
    }
}
