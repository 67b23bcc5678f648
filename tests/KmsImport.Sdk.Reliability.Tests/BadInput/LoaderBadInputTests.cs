using System.Security.Cryptography;
using System.Text;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;

namespace KmsImport.Sdk.Reliability.Tests.BadInput;

/// <summary>
/// Bad input to the SDK's key loaders: <see cref="KeyImportValidationException"/> with a message
/// that says what is wrong and how to fix it. Loading is local: nothing can be sent.
/// </summary>
public sealed class LoaderBadInputTests : ReliabilityTest
{
    private static BadInputFiles s_files = null!;

    [OneTimeSetUp]
    public void CreateFiles() => s_files = new BadInputFiles();

    [OneTimeTearDown]
    public void DeleteFiles() => s_files.Dispose();

    // ---- Key loaders (local by nature: nothing to send) ----

    public static IEnumerable<TestCaseData> LoaderCases()
    {
        yield return Loader("private key: empty", () => KeyMaterial.FromPrivateKey([]), "empty");
        yield return Loader("private key: truncated PEM", () => KeyMaterial.FromPrivateKey(s_files.Read("rsa2048-truncated.pem")), "PEM", "truncated");
        yield return Loader("private key: corrupt PEM Base64", () => KeyMaterial.FromPrivateKey(s_files.Read("rsa2048-corrupt.pem")), "PEM|Base64");
        yield return Loader("private key: truncated DER", () => KeyMaterial.FromPrivateKey(s_files.Read("rsa2048-truncated.der")), "DER|truncated|malformed");
        yield return Loader("private key: random binary", () => KeyMaterial.FromPrivateKey(RandomNumberGenerator.GetBytes(300).Prepend((byte)0x01).ToArray()), "DER|PEM");
        yield return Loader("private key: encrypted PEM, no password", () => KeyMaterial.FromPrivateKey(s_files.Read("rsa2048-encrypted.pem")), "encrypted", "password");
        yield return Loader("private key: encrypted PEM, wrong password", () => KeyMaterial.FromPrivateKey(s_files.Read("rsa2048-encrypted.pem"), "not the password"), "password");
        yield return Loader("private key: RSA-1024", () => KeyMaterial.FromPrivateKey(s_files.Read("rsa1024.pem")), "1024", "2048");
        yield return Loader("private key: P-521 (no importable spec)", () => KeyMaterial.FromPrivateKey(s_files.Read("ec-p521.pem")), "P-521|secp521r1", "P-256|EC_P256");
        yield return Loader("private key: EC key for an RSA spec", () => KeyMaterial.FromPrivateKey(s_files.Read("ec-p256.pem"), default, KeySpec.Rsa2048), "RSA_2048", "EC");
        yield return Loader("private key: RSA-2048 for RSA_3072", () => KeyMaterial.FromPrivateKey(s_files.Read("rsa2048.pem"), default, KeySpec.Rsa3072), "RSA_3072", "2048");
        yield return Loader("private key: a public key PEM", () => KeyMaterial.FromPrivateKey(Encoding.ASCII.GetBytes(PemEncoding.WriteString("PUBLIC KEY", s_files.WrappingKeySpki))), "public key", "private key");
        yield return Loader("private key: Ed25519 (not importable)", () => KeyMaterial.FromPrivateKey(s_files.Ed25519Pem ?? Encoding.ASCII.GetBytes("-----BEGIN PRIVATE KEY-----\nMC4CAQAwBQYDK2VwBCIEIHVNJQDQKdTMaI8ghUnTwzo0gNcRZIZk04VDprXd1HtU\n-----END PRIVATE KEY-----\n")), "RSA|EC|Ed25519");
        yield return Loader("symmetric: 31 bytes for AES_256", () => KeyMaterial.FromSymmetricKey(s_files.Aes256[..31], KeySpec.Aes256), "32", "31");
        yield return Loader("symmetric: 33 bytes for AES_256", () => KeyMaterial.FromSymmetricKey([.. s_files.Aes256, 1], KeySpec.Aes256), "32", "33");
        yield return Loader("symmetric: hex text instead of bytes", () => KeyMaterial.FromSymmetricKey(Encoding.ASCII.GetBytes(Convert.ToHexString(s_files.Aes256)), KeySpec.Aes256), "hex", "binary");
        yield return Loader("symmetric: all zero bytes", () => KeyMaterial.FromSymmetricKey(new byte[32], KeySpec.Aes256), "zero");
        yield return Loader("symmetric: HMAC_SM3 (import not documented)", () => KeyMaterial.FromSymmetricKey(s_files.Aes256, KeySpec.HmacSm3), "HMAC_SM3", "AES_256");
        yield return Loader("symmetric: SM4 of 32 bytes", () => KeyMaterial.FromSymmetricKey(s_files.Aes256, KeySpec.Sm4), "SM4", "16 bytes");
        yield return Loader("symmetric: bytes for an RSA spec", () => KeyMaterial.FromSymmetricKey(s_files.Aes256, KeySpec.Rsa2048), "asymmetric", "FromPrivateKey");
        yield return Loader("symmetric: oversized (1 MiB)", () => KeyMaterial.FromSymmetricKey(new byte[1 << 20].Select((_, i) => (byte)i).ToArray(), KeySpec.Aes256), "32");
        yield return Loader("wrapping key: empty", () => WrappingPublicKey.Load([]), "empty");
        yield return Loader("wrapping key: RSA-1024", () => WrappingPublicKey.Load(s_files.Read("wrapping-rsa1024.bin")), "1024", "2048");
        yield return Loader("wrapping key: EC", () => WrappingPublicKey.Load(s_files.Read("wrapping-ec.bin")), "RSA");
        yield return Loader("wrapping key: not Base64", () => WrappingPublicKey.Load(s_files.Read("wrapping-garbage.b64")), "Base64");
        yield return Loader("wrapping key: a JSON document", () => WrappingPublicKey.FromBase64("{\"public_key\":\"MIIB\"}"), "public_key");
        yield return Loader("wrapping key: truncated DER", () => WrappingPublicKey.Load(s_files.WrappingKeySpki[..100]), "wrapping");
    }

    [TestCaseSource(nameof(LoaderCases))]
    public void Loader_Refuses_Bad_Input_With_An_Actionable_Message(Func<object> load, string[] keywords)
    {
        KeyImportValidationException? exception = Assert.Throws<KeyImportValidationException>(() => SecretAudit.Texts.AddObject(load()));
        SecretAudit.Texts.AddException(exception);
        BadInputAssert.Mentions(exception!.Message, keywords);
        BadInputTally.Record("sdk", TestContext.CurrentContext.Test.Name);
    }

    private static TestCaseData Loader(string name, Func<object> load, params string[] keywords) =>
        new TestCaseData(load, keywords).SetName($"Loader refuses {name}");
}
