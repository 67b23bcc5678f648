// Native AOT smoke test: the SDK imports an AES-256 key and an RSA-2048 private key into the
// in-process emulator, then, through the HTTPS transport (signed requests, JSON source generation,
// resilience pipeline), into the emulator served on loopback. Exit code 0 only when all is well.
using System.Security.Cryptography;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Testing;

using (var kms = new LocalKms())
using (var client = new KeyImportClient(kms))
{
    using KeyMaterial aes = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
    KeyImportResult result = await client.CreateKeyAndImportAsync(new CreateKeyRequest("aot-in-process"), aes);
    Check(result.KeyState == KeyState.Enabled && kms.KeyCount == 1, $"in process: {result.KeyId} {result.KeyState.DisplayName}");
}

await using (LocalKmsServer server = await LocalKmsServer.StartAsync())
using (var client = new KeyImportClient(server.BaseAddress, new AccessKeyCredential(server.AccessKey, server.SecretKey), new KeyImportClientOptions { ProjectId = server.ProjectId }))
{
    using RSA rsa = RSA.Create(2048);
    using KeyMaterial privateKey = KeyMaterial.FromRsa(rsa);
    KeyImportResult result = await client.CreateKeyAndImportAsync(new CreateKeyRequest("aot-over-http") { KeySpec = KeySpec.Rsa2048, KeyUsage = KeyUsage.SignVerify }, privateKey);
    KeyDetails details = await client.DescribeKeyAsync(result.KeyId);
    Check(details.KeyState == KeyState.Enabled && result.Confirmation.Kind == ImportConfirmationKind.PublicKeyMatches, $"over HTTP: {result.KeyId} {details.KeyState.DisplayName}, {result.Confirmation.Description}");
}

Console.WriteLine("AOT smoke test: ok");
return 0;

static void Check(bool ok, string what)
{
    Console.WriteLine((ok ? "ok      " : "FAILED  ") + what);
    if (!ok)
    {
        Environment.Exit(1);
    }
}
