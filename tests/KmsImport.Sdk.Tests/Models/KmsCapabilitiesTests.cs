namespace KmsImport.Sdk.Tests.Models;

public class KmsCapabilitiesTests
{
    [TestCase(KmsCloud.Huawei, "cn-north-4", "SM4", true)]
    [TestCase(KmsCloud.Huawei, "cn-east-3", "SM2", true)]
    [TestCase(KmsCloud.Huawei, "ap-southeast-1", "SM4", false)]
    [TestCase(KmsCloud.Huawei, "eu-west-101", "SM2", false)]
    [TestCase(KmsCloud.Huawei, "ap-southeast-1", "HMAC_256", false)]
    [TestCase(KmsCloud.OpenTelekomCloud, "eu-de", "HMAC_256", true)]
    [TestCase(KmsCloud.OpenTelekomCloud, "eu-de", "SM4", false)]
    [TestCase(KmsCloud.OpenTelekomCloud, "eu-nl", "EC_P384", true)]
    [TestCase(KmsCloud.Huawei, null, "SM4", true)]
    [TestCase(KmsCloud.Huawei, null, "HMAC_512", true)]
    public void Built_In_Profiles_Follow_The_Clouds_Documentation(KmsCloud cloud, string? region, string spec, bool importable) =>
        Assert.That(KmsCapabilities.For(cloud, region).CanImport(new KeySpec(spec)), Is.EqualTo(importable));

    [TestCase(KmsCloud.Huawei, "cn-north-4", true)]
    [TestCase(KmsCloud.Huawei, "CN-NORTH-4", true)]
    [TestCase(KmsCloud.Huawei, "ap-southeast-3", false)]
    [TestCase(KmsCloud.OpenTelekomCloud, "eu-de", false)]
    public void Sm2Encrypt_Is_Offered_Only_In_Chinese_Regions(KmsCloud cloud, string region, bool offered)
    {
        KmsCapabilities profile = KmsCapabilities.For(cloud, region);
        Assert.Multiple(() =>
        {
            Assert.That(profile.Offers(WrappingAlgorithm.Sm2Encrypt), Is.EqualTo(offered));
            Assert.That(profile.Offers(WrappingAlgorithm.RsaesOaepSha256), Is.True);
            Assert.That(profile.Name, Does.Contain(region));
        });
    }

    [Test]
    public void With_Adds_Capabilities_Without_Changing_The_Original()
    {
        KmsCapabilities huawei = KmsCapabilities.For(KmsCloud.Huawei, "ap-southeast-1");
        KmsCapabilities extended = huawei.With(KeySpec.Hmac256).With(WrappingAlgorithm.Sm2Encrypt);
        Assert.Multiple(() =>
        {
            Assert.That(extended.CanImport(KeySpec.Hmac256), Is.True);
            Assert.That(extended.Offers(WrappingAlgorithm.Sm2Encrypt), Is.True);
            Assert.That(huawei.CanImport(KeySpec.Hmac256), Is.False);
            Assert.That(extended.Name, Is.EqualTo(huawei.Name));
            Assert.That(extended.ToString(), Does.Contain("HMAC_256").And.Contain("SM2_ENCRYPT"));
        });
    }

    [Test]
    public void Constructor_Refuses_Null_And_Empty_Values()
    {
        Assert.Multiple(() =>
        {
            Assert.That(() => new KmsCapabilities("", [], []), Throws.ArgumentException);
            Assert.That(() => new KmsCapabilities("x", null!, []), Throws.ArgumentNullException);
            Assert.That(() => new KmsCapabilities("x", [default], []), Throws.ArgumentException);
        });
    }
}
