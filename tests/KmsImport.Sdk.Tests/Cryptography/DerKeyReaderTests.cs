using System.Formats.Asn1;
using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Tests.Cryptography;

// The ASN.1 reading on its own; malformed and foreign structures are covered through the loaders in
// KeyMaterialTests, WrappingPublicKeyTests and the fuzz tests.
[CancelAfter(60_000)]
public class DerKeyReaderTests
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string EcPublicKeyOid = "1.2.840.10045.2.1";
    private const string P256Oid = "1.2.840.10045.3.1.7";

    private static readonly PbeParameters s_pbe = new(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1);

    public static IEnumerable<TestCaseData> PrivateKeys()
    {
        yield return new TestCaseData(TestKeys.Rsa2048.ExportPkcs8PrivateKey(), nameof(PrivateKeyFormat.Pkcs8), RsaEncryptionOid, null).SetArgDisplayNames("RSA PKCS#8");
        yield return new TestCaseData(TestKeys.P256.ExportPkcs8PrivateKey(), nameof(PrivateKeyFormat.Pkcs8), EcPublicKeyOid, P256Oid).SetArgDisplayNames("EC PKCS#8");
        yield return new TestCaseData(TestKeys.P256.ExportEncryptedPkcs8PrivateKey("pw", s_pbe), nameof(PrivateKeyFormat.EncryptedPkcs8), null, null).SetArgDisplayNames("encrypted PKCS#8");
        yield return new TestCaseData(TestKeys.Rsa2048.ExportRSAPrivateKey(), nameof(PrivateKeyFormat.Pkcs1), null, null).SetArgDisplayNames("PKCS#1");
        yield return new TestCaseData(TestKeys.P256.ExportECPrivateKey(), nameof(PrivateKeyFormat.Sec1), null, P256Oid).SetArgDisplayNames("SEC1");
    }

    [TestCaseSource(nameof(PrivateKeys))]
    public void InspectPrivateKey_Each_Format_Is_Told_With_The_Oids_It_Names(byte[] der, string format, string? algorithmOid, string? curveOid)
    {
        PrivateKeyFormat found = DerKeyReader.InspectPrivateKey(der, "DER", out string? foundAlgorithm, out string? foundCurve);

        Assert.Multiple(() =>
        {
            Assert.That(found, Is.EqualTo(Enum.Parse<PrivateKeyFormat>(format)));
            Assert.That(foundAlgorithm, Is.EqualTo(algorithmOid));
            Assert.That(foundCurve, Is.EqualTo(curveOid));
        });
    }

    [TestCase(false)]
    [TestCase(true)]
    public void ReadAlgorithmIdentifier_SubjectPublicKeyInfo_Gives_The_Algorithm_And_Named_Curve(bool ec)
    {
        byte[] spki = ec ? TestKeys.P256.ExportSubjectPublicKeyInfo() : TestKeys.Rsa2048.ExportSubjectPublicKeyInfo();
        AsnDecoder.ReadSequence(spki, AsnEncodingRules.DER, out int offset, out int length, out _);
        ReadOnlySpan<byte> contents = spki.AsSpan(offset, length);

        int consumed = DerKeyReader.ReadAlgorithmIdentifier(contents, AsnEncodingRules.DER, out string algorithmOid, out string? parametersOid);
        bool bitStringFollows = Asn1Tag.Decode(contents[consumed..], out _).HasSameClassAndValue(Asn1Tag.PrimitiveBitString);

        Assert.Multiple(() =>
        {
            Assert.That(algorithmOid, Is.EqualTo(ec ? EcPublicKeyOid : RsaEncryptionOid));
            Assert.That(parametersOid, Is.EqualTo(ec ? P256Oid : null), "RSA's parameters are NULL, not an OID");
            Assert.That(bitStringFollows, Is.True, "the subjectPublicKey follows");
        });
    }

    [Test]
    public void TryReadEcPrivateKey_Sec1_Key_Gives_Scalar_Curve_And_Public_Point()
    {
        ECParameters parameters = TestKeys.P256.ExportParameters(true);

        bool read = DerKeyReader.TryReadEcPrivateKey(TestKeys.P256.ExportECPrivateKey(), out ReadOnlySpan<byte> scalar, out string? curveOid, out ReadOnlySpan<byte> publicPoint);
        byte[] scalarBytes = scalar.ToArray();
        byte[] pointBytes = publicPoint.ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(read, Is.True);
            Assert.That(scalarBytes, Is.EqualTo(parameters.D));
            Assert.That(curveOid, Is.EqualTo(P256Oid));
            Assert.That(pointBytes, Is.EqualTo((byte[])[0x04, .. parameters.Q.X!, .. parameters.Q.Y!]));
        });
    }

    [Test]
    public void TryReadEcPrivateKey_Inside_Pkcs8_Reads_The_Same_Scalar()
    {
        ReadOnlySpan<byte> ecPrivateKey = DerKeyReader.ReadPkcs8PrivateKey(TestKeys.P256.ExportPkcs8PrivateKey());

        bool read = DerKeyReader.TryReadEcPrivateKey(ecPrivateKey, out ReadOnlySpan<byte> scalar, out _, out _);
        byte[] scalarBytes = scalar.ToArray();

        Assert.Multiple(() =>
        {
            Assert.That(read, Is.True);
            Assert.That(scalarBytes, Is.EqualTo(TestKeys.P256.ExportParameters(true).D));
        });
    }

    [Test]
    public void TryReadEcPrivateKey_Version_Other_Than_One_Returns_False()
    {
        byte[] sec1 = TestKeys.P256.ExportECPrivateKey();
        int version = sec1.AsSpan().IndexOf((byte[])[0x02, 0x01, 0x01]);
        sec1[version + 2] = 0x02;

        Assert.That(DerKeyReader.TryReadEcPrivateKey(sec1, out _, out _, out _), Is.False);
    }
}
