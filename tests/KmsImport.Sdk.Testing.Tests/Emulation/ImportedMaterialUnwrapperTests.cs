using System.Security.Cryptography;
using System.Text.Json;
using KmsImport.Sdk.Testing.Emulation;

namespace KmsImport.Sdk.Testing.Tests.Emulation;

/// <summary>
/// Wycheproof RSA-OAEP decryption cases against the emulator's unwrap: valid ones decrypt to the
/// message; invalid ones (bad padding, bad ciphertext) and those encrypted with a label (the
/// service uses none) fail, through import-key-material with one and the same KMS.0311 answer.
/// </summary>
[CancelAfter(300_000)]
public class ImportedMaterialUnwrapperTests
{
    private static readonly string[] s_files =
    [
        "rsa_oaep_2048_sha256_mgf1sha256_test.json",
        "rsa_oaep_3072_sha256_mgf1sha256_test.json",
        "rsa_oaep_4096_sha256_mgf1sha256_test.json",
        "rsa_oaep_2048_sha1_mgf1sha1_test.json",
    ];

    public static IEnumerable<TestCaseData> Cases()
    {
        foreach (string file in s_files)
        {
            string path = Path.Combine(TestContext.CurrentContext.TestDirectory, "TestVectors", "wycheproof", file);
            using JsonDocument document = JsonDocument.Parse(File.ReadAllBytes(path));
            foreach (JsonElement group in document.RootElement.GetProperty("testGroups").EnumerateArray())
            {
                string pkcs8 = group.GetProperty("privateKeyPkcs8").GetString()!;
                WrappingAlgorithm algorithm = group.GetProperty("sha").GetString() == "SHA-1" ? WrappingAlgorithm.RsaesOaepSha1 : WrappingAlgorithm.RsaesOaepSha256;
                foreach (JsonElement test in group.GetProperty("tests").EnumerateArray())
                {
                    var vector = new OaepVector(
                        pkcs8,
                        algorithm,
                        test.GetProperty("msg").GetString()!,
                        test.GetProperty("ct").GetString()!,
                        test.GetProperty("label").GetString()!.Length == 0,
                        test.GetProperty("result").GetString()!);
                    int id = test.GetProperty("tcId").GetInt32();
                    yield return new TestCaseData(vector).SetName($"Wycheproof_{Path.GetFileNameWithoutExtension(file)}_tc{id}_{vector.Result}");
                }
            }
        }
    }

    [TestCaseSource(nameof(Cases))]
    public void TryDecrypt_Matches_The_Vector(OaepVector vector)
    {
        using RSA rsa = vector.LoadPrivateKey();
        bool decrypted = ImportedMaterialUnwrapper.TryDecrypt(rsa, Convert.FromHexString(vector.CiphertextHex), vector.Algorithm, out byte[]? plaintext);
        if (vector.ShouldDecrypt)
        {
            Assert.That(decrypted, Is.True);
            Assert.That(Convert.ToHexStringLower(plaintext!), Is.EqualTo(vector.MessageHex.ToLowerInvariant()));
        }
        else
        {
            Assert.That(decrypted, Is.False);
            Assert.That(plaintext, Is.Null);
        }
    }

    [TestCaseSource(nameof(Cases))]
    public async Task Import_Rejects_Undecryptable_Vectors_With_One_Indistinguishable_Error(OaepVector vector)
    {
        using var kms = new LocalKms();
        CreateKeyResult key = await kms.CreateKeyAsync(new CreateKeyRequest("wycheproof") { Origin = KeyOrigin.External });
        ImportParameters parameters = kms.IssueImportParameters(key.KeyId, vector.LoadPrivateKey(), vector.Algorithm);
        var request = new ImportKeyMaterialRequest(key.KeyId, parameters.ImportToken, Convert.ToBase64String(Convert.FromHexString(vector.CiphertextHex)));

        if (vector.ShouldDecrypt && vector.MessageHex.Length == 64)
        {
            await kms.ImportKeyMaterialAsync(request);
            Assert.That(kms.GetImportedMaterialFingerprint(key.KeyId), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(Convert.FromHexString(vector.MessageHex)))));
            return;
        }

        KmsRequestFailedException? ex = Assert.ThrowsAsync<KmsRequestFailedException>(() => kms.ImportKeyMaterialAsync(request));
        if (vector.ShouldDecrypt)
        {
            // Decrypted, but not 32 bytes of AES_256 material.
            Assert.That(ex!.ErrorCode, Is.EqualTo(KmsErrorCodes.MaterialLengthInvalid));
            return;
        }

        Assert.Multiple(() =>
        {
            Assert.That(ex!.Status, Is.EqualTo(400));
            Assert.That(ex.ErrorCode, Is.EqualTo(KmsErrorCodes.DecryptionFailed));
            Assert.That(ex.ServiceMessage, Is.EqualTo($"encrypted_key_material could not be decrypted with the wrapping private key ({vector.Algorithm})"));
        });
    }

    public sealed record OaepVector(string PrivateKeyPkcs8Hex, WrappingAlgorithm Algorithm, string MessageHex, string CiphertextHex, bool EmptyLabel, string Result)
    {
        // The service uses no OAEP label, so a ciphertext made with one must not decrypt.
        public bool ShouldDecrypt => Result == "valid" && EmptyLabel;

        public RSA LoadPrivateKey()
        {
            var rsa = RSA.Create();
            rsa.ImportPkcs8PrivateKey(Convert.FromHexString(PrivateKeyPkcs8Hex), out _);
            return rsa;
        }

        public override string ToString() => $"{Algorithm} {Result}";
    }
}
