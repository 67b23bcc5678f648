using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Testing.Emulation;

namespace KmsImport.Sdk.Testing.Tests.Emulation;

// The emulator's own SM2_ENCRYPT side (BouncyCastle directly) against the SDK's wrapping: they must agree, and the
// emulator must refuse what the service would.
public class SmMaterialUnwrapperTests
{
    [Test]
    public void Decrypts_The_Sdks_Sm2_Ciphertext_And_Refuses_Tampering()
    {
        var privateKey = SmMaterialUnwrapper.GenerateWrappingKey(out byte[] spki);
        WrappingPublicKey wrappingKey = WrappingPublicKey.FromSubjectPublicKeyInfo(spki);
        byte[] sm4 = RandomNumberGenerator.GetBytes(16);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(sm4, KeySpec.Sm4);
        byte[] ciphertext = KeyMaterialWrapper.Shared.Wrap(material, wrappingKey, WrappingAlgorithm.Sm2Encrypt).EncryptedKeyMaterial.ToArray();

        Assert.That(SmMaterialUnwrapper.TryDecrypt(privateKey, ciphertext, out byte[]? plaintext), Is.True);
        Assert.That(plaintext, Is.EqualTo(sm4));

        var other = SmMaterialUnwrapper.GenerateWrappingKey(out _);
        Assert.Multiple(() =>
        {
            Assert.That(SmMaterialUnwrapper.TryDecrypt(other, ciphertext, out _), Is.False, "another wrapping key");
            Assert.That(SmMaterialUnwrapper.TryDecrypt(privateKey, ciphertext[..^1], out _), Is.False, "truncated");
            Assert.That(SmMaterialUnwrapper.TryDecrypt(privateKey, [.. ciphertext, 0], out _), Is.False, "trailing byte");
            byte[] flipped = (byte[])ciphertext.Clone();
            flipped[^1] ^= 1;
            Assert.That(SmMaterialUnwrapper.TryDecrypt(privateKey, flipped, out _), Is.False, "altered ciphertext");
        });
    }

    [Test]
    public void Unwraps_The_Sdks_Sm4_Wrap_Of_An_Sm2_Key_And_Checks_It()
    {
        var privateKey = SmMaterialUnwrapper.GenerateWrappingKey(out byte[] spki);
        using var ec = ECDsa.Create(ECCurve.CreateFromValue("1.2.156.10197.1.301"));
        using KeyMaterial sm2 = KeyMaterial.FromECDsa(ec);
        WrappedKeyMaterial wrappedMaterial = KeyMaterialWrapper.Shared.Wrap(sm2, WrappingPublicKey.FromSubjectPublicKeyInfo(spki), WrappingAlgorithm.Sm2Encrypt);
        Assert.That(SmMaterialUnwrapper.TryDecrypt(privateKey, wrappedMaterial.EncryptedKeyMaterial.Span, out byte[]? temporaryKey), Is.True);
        Assert.That(temporaryKey, Has.Length.EqualTo(16));
        byte[] wrapped = wrappedMaterial.EncryptedPrivateKey!.Value.ToArray();

        Assert.That(SmMaterialUnwrapper.TryUnwrapPrivateKey(temporaryKey, wrapped, out byte[]? pkcs8), Is.True);
        Assert.That(Convert.ToHexStringLower(SHA256.HashData(pkcs8!)), Is.EqualTo(sm2.ComputeFingerprint()));
        Assert.Multiple(() =>
        {
            Assert.That(SmMaterialUnwrapper.IsSm2PrivateKey(pkcs8!), Is.True);
            Assert.That(SmMaterialUnwrapper.TryUnwrapPrivateKey(RandomNumberGenerator.GetBytes(16), wrapped, out _), Is.False, "wrong temporary key");
            Assert.That(SmMaterialUnwrapper.TryUnwrapPrivateKey(RandomNumberGenerator.GetBytes(32), wrapped, out _), Is.False, "a 32-byte (AES) temporary key");
            Assert.That(SmMaterialUnwrapper.IsSm2PrivateKey([.. pkcs8!, 0]), Is.False, "trailing byte");
            using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            Assert.That(SmMaterialUnwrapper.IsSm2PrivateKey(p256.ExportPkcs8PrivateKey()), Is.False, "a P-256 key");
            byte[] inconsistent = (byte[])pkcs8!.Clone();
            inconsistent[^1] ^= 1;
            Assert.That(SmMaterialUnwrapper.IsSm2PrivateKey(inconsistent), Is.False, "public point not matching the scalar");
        });
    }
}
