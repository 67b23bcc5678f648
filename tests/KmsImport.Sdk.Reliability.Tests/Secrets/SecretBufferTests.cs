using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;

namespace KmsImport.Sdk.Reliability.Tests.Secrets;

/// <summary>
/// Buffers the SDK owns for secrets are zeroed after use, where a test can observe them:
/// <see cref="KeyMaterial"/>'s private copy, seen through its internal <c>Span</c> and <c>IsZeroed</c> (the SDK
/// shows its internals to this suite; the copy is unreachable from the public API on purpose).
/// </summary>
public sealed class SecretBufferTests : ReliabilityTest
{
    [Test]
    public void KeyMaterial_Zeroes_Its_Symmetric_Copy_On_Dispose_And_Refuses_Use_After()
    {
        byte[] plaintext = TestKeys.NewAes256();
        KeyMaterial material = KeyMaterial.FromSymmetricKey(plaintext, KeySpec.Aes256);
        SecretAudit.Texts.AddObject(material);
        // Booleans, not the arrays: a failure message must not print key bytes.
        Assert.That(material.Span.SequenceEqual(plaintext), Is.True, "KeyMaterial keeps a private copy of the plaintext");
        Assert.That(material.Span.Overlaps(plaintext), Is.False, "the copy is the SDK's own, not the caller's array");
        Assert.That(material.IsZeroed, Is.False);

        material.Dispose();

        Assert.That(material.IsZeroed, Is.True, "the private copy is zero after Dispose");
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
        Assert.That(material.Span.SequenceEqual(pkcs8), Is.True, "KeyMaterial keeps a private copy of the PKCS#8 key");
        Assert.That(material.IsZeroed, Is.False);

        material.Dispose();

        Assert.That(material.IsZeroed, Is.True, "the private copy is zero after Dispose");
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
}
