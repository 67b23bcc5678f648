using System.Reflection;
using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;

namespace KmsImport.Sdk.Reliability.Tests.Secrets;

/// <summary>
/// Buffers the SDK owns for secrets are zeroed after use, where a test can observe them:
/// <see cref="KeyMaterial"/>'s private copy (found by reflection, since it is deliberately unreachable).
/// </summary>
public sealed class SecretBufferTests : ReliabilityTest
{
    [Test]
    public void KeyMaterial_Zeroes_Its_Symmetric_Copy_On_Dispose_And_Refuses_Use_After()
    {
        byte[] plaintext = TestKeys.NewAes256();
        KeyMaterial material = KeyMaterial.FromSymmetricKey(plaintext, KeySpec.Aes256);
        SecretAudit.Texts.AddObject(material);
        byte[][] buffers = OwnedBuffers(material);
        // Booleans, not the arrays: a failure message must not print key bytes.
        Assert.That(buffers.Any(b => b.AsSpan().StartsWith(plaintext)), Is.True, "KeyMaterial keeps a private copy of the plaintext");
        Assert.That(buffers.Any(b => ReferenceEquals(b, plaintext)), Is.False, "the copy is the SDK's own, not the caller's array");

        material.Dispose();

        Assert.That(buffers.All(b => !b.AsSpan().ContainsAnyExcept((byte)0)), Is.True, "every byte[] the material owns is zero after Dispose");
        Assert.That(() => material.ComputeFingerprint(), Throws.InstanceOf<ObjectDisposedException>());
        Assert.That(plaintext.AsSpan().ContainsAnyExcept((byte)0), Is.True, "the caller's array is the caller's to clear");
    }

    [Test]
    public void KeyMaterial_Zeroes_Its_Private_Key_Copy_On_Dispose()
    {
        using var rsa = RSA.Create(2048);
        byte[] pkcs8 = TestKeys.Register(rsa);
        KeyMaterial material = KeyMaterial.FromRsa(rsa);
        SecretAudit.Texts.AddObject(material);
        byte[][] buffers = OwnedBuffers(material);
        Assert.That(buffers.Any(b => b.AsSpan().StartsWith(pkcs8)), Is.True, "KeyMaterial keeps a private copy of the PKCS#8 key");

        material.Dispose();

        Assert.That(buffers.All(b => !b.AsSpan().ContainsAnyExcept((byte)0)), Is.True, "every byte[] the material owns is zero after Dispose");
        Assert.That(() => material.ComputeFingerprint(), Throws.InstanceOf<ObjectDisposedException>());
    }

    [Test]
    public void KeyMaterial_ToString_Holds_No_Material()
    {
        byte[] plaintext = TestKeys.NewAes256();
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(plaintext, KeySpec.Aes256);
        string text = material.ToString();
        SecretAudit.Texts.AddObject(material);
        Assert.That(text, Does.Contain("AES_256"));
        Assert.That(SecretAudit.ScanIncrementally(), Is.Empty);
    }

    private static byte[][] OwnedBuffers(KeyMaterial material) =>
        typeof(KeyMaterial).GetFields(BindingFlags.Instance | BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(byte[]))
            .Select(f => (byte[]?)f.GetValue(material))
            .OfType<byte[]>()
            .ToArray();
}
