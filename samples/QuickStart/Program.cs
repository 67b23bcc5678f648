// KmsImport.Sdk quick start: construct the client (no DI), create-and-import an AES-256 key and an
// RSA-2048 private key, then describe both. Runs on the in-process emulator (LocalKms) by default;
// against the real service when HUAWEICLOUD_SDK_AK/SK, HUAWEICLOUD_SDK_PROJECT_ID and an endpoint
// (KMS_ENDPOINT) or a region (HUAWEICLOUD_SDK_REGION, with KMS_CLOUD=otc for Open Telekom Cloud) are set.
using System.Security.Cryptography;
using KmsImport.Sdk;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Testing;

string? endpoint = Environment.GetEnvironmentVariable("KMS_ENDPOINT");
string? region = Environment.GetEnvironmentVariable("HUAWEICLOUD_SDK_REGION");
bool realService = IsSet("HUAWEICLOUD_SDK_AK") && IsSet("HUAWEICLOUD_SDK_SK") && (IsSet("KMS_ENDPOINT") || IsSet("HUAWEICLOUD_SDK_REGION"));
KmsCloud cloud = string.Equals(Environment.GetEnvironmentVariable("KMS_CLOUD"), "otc", StringComparison.OrdinalIgnoreCase) ? KmsCloud.OpenTelekomCloud : KmsCloud.Huawei;

// Credentials come from HUAWEICLOUD_SDK_AK/SK (EnvironmentCredential); the project id from
// HUAWEICLOUD_SDK_PROJECT_ID. new AccessKeyCredential(ak, sk) works as well.
using LocalKms? emulator = realService ? null : new LocalKms();
using KeyImportClient client = emulator is not null
    ? new KeyImportClient(emulator)
    : !string.IsNullOrEmpty(endpoint)
        ? new KeyImportClient(new Uri(endpoint), new EnvironmentCredential())
        : new KeyImportClient(region!, cloud, new EnvironmentCredential());
Console.WriteLine(realService ? "Importing into the real KMS service." : "Importing into the in-process KMS emulator (set HUAWEICLOUD_SDK_* to use the real service).");

// 1. An AES-256 key: 32 random bytes. Keep your own backup of the material in real use.
byte[] aesBytes = RandomNumberGenerator.GetBytes(32);
using KeyMaterial aes = KeyMaterial.FromSymmetricKey(aesBytes, KeySpec.Aes256);
CryptographicOperations.ZeroMemory(aesBytes);
KeyImportResult aesResult = await client.CreateKeyAndImportAsync(
    new CreateKeyRequest($"quickstart-aes-{DateTime.UtcNow:yyyyMMddHHmmss}") { KeySpec = KeySpec.Aes256, KeyDescription = "KmsImport.Sdk quick start" },
    aes,
    new ImportKeyMaterialOptions { Expiry = MaterialExpiry.After(TimeSpan.FromDays(1)) });
Console.WriteLine($"AES_256  {aesResult.KeyId}  {aesResult.KeyState.DisplayName}  sha256:{aesResult.MaterialFingerprint}");

// 2. An RSA-2048 private key (from RSA.Create here; KeyMaterial.FromPrivateKey reads PEM or DER files).
using RSA rsa = RSA.Create(2048);
using KeyMaterial rsaKey = KeyMaterial.FromRsa(rsa);
KeyImportResult rsaResult = await client.CreateKeyAndImportAsync(
    new CreateKeyRequest($"quickstart-rsa-{DateTime.UtcNow:yyyyMMddHHmmss}") { KeySpec = KeySpec.Rsa2048, KeyUsage = KeyUsage.SignVerify },
    rsaKey);
Console.WriteLine($"RSA_2048 {rsaResult.KeyId}  {rsaResult.KeyState.DisplayName}  sha256:{rsaResult.MaterialFingerprint}");

// 3. Describe both.
foreach (string keyId in new[] { aesResult.KeyId, rsaResult.KeyId })
{
    KeyDetails details = await client.DescribeKeyAsync(keyId);
    string expires = details.MaterialExpiresOn is { } at ? at.ToString("u", System.Globalization.CultureInfo.InvariantCulture) : "never";
    Console.WriteLine($"{details.KeyId}: {details.KeySpec} {details.KeyUsage}, origin {details.Origin}, state {details.KeyState.DisplayName}, material expires {expires}");
}

static bool IsSet(string name) => !string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(name));
