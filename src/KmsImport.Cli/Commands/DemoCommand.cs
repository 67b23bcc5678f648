using System.CommandLine;
using System.Security.Cryptography;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Testing;

namespace KmsImport.Cli.Commands;

/// <summary><c>kms-import demo</c>: the whole flow against an in-process emulator, narrated step by step.</summary>
internal static class DemoCommand
{
    public static Command Create(CliContext context, GlobalOptions globals)
    {
        var command = new Command("demo", "Run the whole import flow against an in-process emulator (no account, no network), narrated step by step: an AES-256 key the guide's way and in one call, then an RSA-2048 private key.");
        CommandRunner.SetAction(command, context, globals, (_, cancellationToken) => RunAsync(context.Output, cancellationToken), ifCancelled: _ => "the demo stopped; it changes nothing outside its in-process emulator");
        return command;
    }

    private static async Task<int> RunAsync(TextWriter output, CancellationToken cancellationToken)
    {
        using var kms = new LocalKms();
        IKeyImportClient client = new KeyImportClient(kms);
        output.WriteLine("kms-import demo: the console guide's import flow against an in-process KMS emulator (real cryptography, no network).");
        output.WriteLine();

        output.WriteLine("1. create-key: an AES_256 key with origin external (the guide: 'Create a CMK, Key Material Source: External').");
        CreateKeyResult created = await client.CreateKeyAsync(new CreateKeyRequest($"demo-aes-{Guid.NewGuid():N}"[..20]) { KeySpec = KeySpec.Aes256 }, cancellationToken).ConfigureAwait(false);
        KeyDetails details = await client.DescribeKeyAsync(created.KeyId, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"   key {created.KeyId}, state {details.KeyState.DisplayName}");

        output.WriteLine("2. get-parameters: the wrapping public key (PublicKey.bin) and the import token (ImportToken.b64).");
        ImportParameters parameters = await client.GetParametersForImportAsync(created.KeyId, WrappingAlgorithm.RsaesOaepSha256, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"   wrapping key RSA-{parameters.WrappingKey.KeySizeInBits}, {parameters.WrappingAlgorithm}, token of {parameters.ImportToken.Length} characters, valid until {OutputFormat.Time(parameters.ExpiresOn)}");

        output.WriteLine("3. wrap: 32 random bytes (openssl rand 32), RSA-OAEP-SHA256 under the wrapping key (openssl pkeyutl ... -pkeyopt rsa_oaep_md:sha256).");
        byte[] plaintext = RandomNumberGenerator.GetBytes(32);
        using KeyMaterial aesMaterial = KeyMaterial.FromSymmetricKey(plaintext, KeySpec.Aes256);
        CryptographicOperations.ZeroMemory(plaintext);
        WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(aesMaterial, parameters.WrappingKey, parameters.WrappingAlgorithm);
        output.WriteLine($"   EncryptedKeyMaterial.bin: {wrapped.EncryptedKeyMaterial.Length} bytes; plaintext fingerprint sha256:{aesMaterial.ComputeFingerprint()}");

        output.WriteLine("4. import: the wrapped material with the token (kms-import import, or the console's Import Key Material dialog).");
        await client.ImportWrappedKeyMaterialAsync(new ImportKeyMaterialRequest(created.KeyId, parameters.ImportToken, wrapped.EncryptedKeyMaterialBase64), cancellationToken).ConfigureAwait(false);
        details = await client.DescribeKeyAsync(created.KeyId, cancellationToken).ConfigureAwait(false);
        Verify(kms, created.KeyId, aesMaterial.ComputeFingerprint());
        output.WriteLine($"   state {details.KeyState.DisplayName}; the emulator unwrapped material with the same fingerprint");

        output.WriteLine("5. delete-material, then import the same material again in one call (kms-import import-key), expiring in 30 days.");
        await client.DeleteImportedKeyMaterialAsync(created.KeyId, cancellationToken).ConfigureAwait(false);
        details = await client.DescribeKeyAsync(created.KeyId, cancellationToken).ConfigureAwait(false);
        output.WriteLine($"   after delete: state {details.KeyState.DisplayName}");
        KeyImportResult again = await client.ImportKeyMaterialAsync(created.KeyId, aesMaterial, new ImportKeyMaterialOptions { Expiry = MaterialExpiry.After(TimeSpan.FromDays(30)) }, cancellationToken).ConfigureAwait(false);
        Verify(kms, created.KeyId, again.MaterialFingerprint);
        output.WriteLine($"   state {again.KeyState.DisplayName}, material expires {OutputFormat.Expiry(again.MaterialExpiresOn)}, fingerprint sha256:{again.MaterialFingerprint}");

        output.WriteLine("6. an RSA_2048 private key: a temporary AES key under RSA-OAEP, the PKCS#8 key under RFC 5649 (openssl enc -id-aes256-wrap-pad -iv A65959A6), in one call.");
        using var rsa = RSA.Create(2048);
        using KeyMaterial rsaMaterial = KeyMaterial.FromRsa(rsa);
        KeyImportResult rsaResult = await client.CreateKeyAndImportAsync(
            new CreateKeyRequest($"demo-rsa-{Guid.NewGuid():N}"[..20]) { KeySpec = KeySpec.Rsa2048, KeyUsage = KeyUsage.SignVerify },
            rsaMaterial,
            cancellationToken: cancellationToken).ConfigureAwait(false);
        Verify(kms, rsaResult.KeyId, rsaMaterial.ComputeFingerprint());
        output.WriteLine($"   key {rsaResult.KeyId}, state {rsaResult.KeyState.DisplayName}, fingerprint sha256:{rsaResult.MaterialFingerprint}");

        output.WriteLine();
        output.WriteLine("Done: 2 keys imported and verified. Against the real service: set HUAWEICLOUD_SDK_AK/SK and HUAWEICLOUD_SDK_PROJECT_ID, add --region, and use the same commands.");
        return ExitCodes.Success;
    }

    private static void Verify(LocalKms kms, string keyId, string expectedFingerprint)
    {
        string? actual = kms.GetImportedMaterialFingerprint(keyId);
        if (!string.Equals(actual, expectedFingerprint, StringComparison.Ordinal))
        {
            throw new InvalidOperationException($"the emulator holds material {actual ?? "(none)"} for {keyId}, expected {expectedFingerprint}");
        }
    }
}
