using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;

namespace KmsImport.Sdk.Reliability.Tests.Secrets;

/// <summary>
/// The SDK wrapper's temporary AES key, observed the only way the design allows (it lives on the
/// stack and is zeroed): wrap under a wrapping key the test owns and decrypt it back. It is fresh
/// per wrap, it unwraps the private key, and it is registered so the audit searches for it.
/// </summary>
public sealed class WrapperTemporaryKeyTests : ReliabilityTest
{
    [Test]
    public void Temporary_Key_Is_Fresh_Per_Wrap_And_Appears_In_No_Text()
    {
        using var wrappingPair = RSA.Create(2048);
        WrappingPublicKey wrappingKey = WrappingPublicKey.Load(wrappingPair.ExportSubjectPublicKeyInfo());
        byte[] pkcs8 = TestKeys.Rsa2048Pkcs8(0);
        using KeyMaterial material = KeyMaterial.FromPrivateKey(pkcs8);
        var seen = new HashSet<string>(StringComparer.Ordinal);

        for (int i = 0; i < 16; i++)
        {
            WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(material, wrappingKey, WrappingAlgorithm.RsaesOaepSha256);
            byte[] temporaryKey = wrappingPair.Decrypt(wrapped.EncryptedKeyMaterial.Span, RSAEncryptionPadding.OaepSHA256);
            SecretAudit.Secrets.Add(temporaryKey);
            SecretAudit.Texts.AddObject(wrapped);
            SecretAudit.Texts.AddObject(wrappingKey);

            Assert.That(temporaryKey, Has.Length.EqualTo(32));
            Assert.That(seen.Add(Convert.ToHexString(temporaryKey)), Is.True, "a fresh temporary key per wrap");
            byte[] plaintext = AesKeyWrapPad.Unwrap(temporaryKey, wrapped.EncryptedPrivateKey!.Value.Span);
            Assert.That(Convert.ToHexStringLower(SHA256.HashData(plaintext)), Is.EqualTo(material.ComputeFingerprint()), "the temporary key unwraps the PKCS#8 key");
        }

        Assert.That(SecretAudit.ScanIncrementally(), Is.Empty);
    }
}
