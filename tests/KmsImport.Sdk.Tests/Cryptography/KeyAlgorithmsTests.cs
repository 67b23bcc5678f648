using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Tests.Cryptography;

public class KeyAlgorithmsTests
{
    [TestCase(2048, "RSA_2048")]
    [TestCase(3072, "RSA_3072")]
    [TestCase(4096, "RSA_4096")]
    [TestCase(1024, null)]
    [TestCase(8192, null)]
    public void RsaSpecOf_Modulus_Size_Gives_The_Importable_Spec_Or_Null(int bits, string? spec)
    {
        Assert.That(KeyAlgorithms.RsaSpecOf(bits), Is.EqualTo(spec is null ? default(KeySpec?) : new KeySpec(spec)));
    }

    [TestCase("1.2.840.10045.3.1.7", "EC_P256")]
    [TestCase("1.3.132.0.34", "EC_P384")]
    [TestCase("1.3.132.0.10", "SECP256K1")]
    [TestCase("1.3.132.0.35", null)]
    [TestCase("1.2.156.10197.1.301", null)]
    [TestCase(null, null)]
    public void EcSpecOf_Curve_Oid_Gives_The_Spec_Or_Null(string? curveOid, string? spec)
    {
        Assert.That(KeyAlgorithms.EcSpecOf(curveOid), Is.EqualTo(spec is null ? default(KeySpec?) : new KeySpec(spec)));
    }

    [TestCase("nistP256", "1.2.840.10045.3.1.7")]
    [TestCase("ECDSA_P256", "1.2.840.10045.3.1.7")]
    [TestCase("secp384r1", "1.3.132.0.34")]
    [TestCase("secP256k1", "1.3.132.0.10")]
    [TestCase("brainpoolP256r1", null)]
    public void CurveOidOf_Friendly_Name_Only_Gives_The_Oid(string friendlyName, string? oid)
    {
        Assert.That(KeyAlgorithms.CurveOidOf(new Oid(null, friendlyName)), Is.EqualTo(oid));
    }

    [Test]
    public void CurveOidOf_Value_Or_Nothing_Gives_The_Value_Or_Null()
    {
        Assert.Multiple(() =>
        {
            Assert.That(KeyAlgorithms.CurveOidOf(new Oid("1.3.132.0.35", "ignored")), Is.EqualTo("1.3.132.0.35"));
            Assert.That(KeyAlgorithms.CurveOidOf(null), Is.Null);
        });
    }

    [TestCase("1.2.840.10045.2.1", "1.2.156.10197.1.301", true)]
    [TestCase("1.2.156.10197.1.301", null, true)]
    [TestCase("1.2.840.10045.2.1", "1.2.840.10045.3.1.7", false)]
    [TestCase("1.2.840.113549.1.1.1", null, false)]
    public void IsSm2_Algorithm_And_Curve_Tells_An_Sm2_Key(string algorithmOid, string? curveOid, bool isSm2)
    {
        Assert.That(KeyAlgorithms.IsSm2(algorithmOid, curveOid), Is.EqualTo(isSm2));
    }

    [TestCase("1.2.840.10045.3.1.7", "P-256")]
    [TestCase("1.3.132.0.35", "P-521")]
    [TestCase("1.2.156.10197.1.301", "SM2")]
    [TestCase("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1")]
    [TestCase("1.2.3.4", "curve 1.2.3.4")]
    [TestCase(null, "explicit or unnamed curve parameters")]
    public void DescribeCurve_Oid_Gives_A_Readable_Name(string? oid, string name)
    {
        Assert.That(KeyAlgorithms.DescribeCurve(oid), Is.EqualTo(name));
    }

    [TestCase("1.3.101.112", "an Ed25519 key")]
    [TestCase("1.3.101.113", "an Ed448 key")]
    [TestCase("1.2.840.113549.1.3.1", "a Diffie-Hellman key")]
    [TestCase("1.2.840.10046.2.1", "a Diffie-Hellman key")]
    [TestCase("1.2.3.4", "a key of algorithm 1.2.3.4")]
    public void DescribeAlgorithm_Oid_Gives_A_Readable_Name(string oid, string name)
    {
        Assert.That(KeyAlgorithms.DescribeAlgorithm(oid), Is.EqualTo(name));
    }
}
