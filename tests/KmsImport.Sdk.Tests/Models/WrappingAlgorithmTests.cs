namespace KmsImport.Sdk.Tests.Models;

public class WrappingAlgorithmTests
{
    [Test]
    public void Traits_Mark_The_Legacy_Rsa_Algorithms_And_Sm2_Encrypt()
    {
        Assert.Multiple(() =>
        {
            Assert.That(WrappingAlgorithm.RsaesOaepSha1.IsLegacy && WrappingAlgorithm.RsaesPkcs1V15.IsLegacy, Is.True);
            Assert.That(WrappingAlgorithm.RsaesOaepSha256.IsLegacy || WrappingAlgorithm.Sm2Encrypt.IsLegacy, Is.False);
            Assert.That(WrappingAlgorithm.Sm2Encrypt.IsSupported && WrappingAlgorithm.Sm2Encrypt.IsSm2 && !WrappingAlgorithm.Sm2Encrypt.IsRsa, Is.True);
            Assert.That(() => WrappingAlgorithm.Sm2Encrypt.Padding, Throws.TypeOf<NotSupportedException>().With.Message.Contains("not an RSA algorithm"));
        });
    }
}
