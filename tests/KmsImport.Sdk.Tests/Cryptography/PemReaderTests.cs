using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Tests.Cryptography;

// The PEM scanning on its own; the messages of every refusal are covered through the loaders in
// KeyMaterialTests and WrappingPublicKeyTests.
[CancelAfter(60_000)]
public class PemReaderTests
{
    [Test]
    public void FindPrivateKeyBlock_Leading_Byte_Order_Mark_Gives_The_Base_64_Range_In_The_Whole_Text()
    {
        byte[] der = TestKeys.P256.ExportPkcs8PrivateKey();
        string pem = "\uFEFF\n" + PemEncoding.WriteString("PRIVATE KEY", der) + "\n";

        (string label, Range base64) = PemReader.FindPrivateKeyBlock(pem);

        Assert.Multiple(() =>
        {
            Assert.That(label, Is.EqualTo("PRIVATE KEY"));
            Assert.That(Convert.FromBase64String(pem[base64]), Is.EqualTo(der));
        });
    }

    [Test]
    public void FindPrivateKeyBlock_Ec_Parameters_Before_The_Key_Are_Skipped()
    {
        byte[] der = TestKeys.P256.ExportECPrivateKey();
        string pem = PemEncoding.WriteString("EC PARAMETERS", [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]) + "\n"
            + PemEncoding.WriteString("EC PRIVATE KEY", der);

        (string label, Range base64) = PemReader.FindPrivateKeyBlock(pem);

        Assert.Multiple(() =>
        {
            Assert.That(label, Is.EqualTo("EC PRIVATE KEY"));
            Assert.That(Convert.FromBase64String(pem[base64]), Is.EqualTo(der));
        });
    }

    [TestCase("", "empty")]
    [TestCase("\uFEFF \n", "empty")]
    [TestCase("-----BEGIN PRIVATE KEY-----\nAAAA\n", "malformed")]
    public void FindPrivateKeyBlock_No_Complete_Block_Is_Refused(string pem, string messagePart)
    {
        Assert.That(() => PemReader.FindPrivateKeyBlock(pem), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains(messagePart));
    }

    [TestCase("PRIVATE KEY", nameof(PrivateKeyFormat.Pkcs8))]
    [TestCase("ENCRYPTED PRIVATE KEY", nameof(PrivateKeyFormat.EncryptedPkcs8))]
    [TestCase("RSA PRIVATE KEY", nameof(PrivateKeyFormat.Pkcs1))]
    [TestCase("EC PRIVATE KEY", nameof(PrivateKeyFormat.Sec1))]
    [TestCase("SM2 PRIVATE KEY", nameof(PrivateKeyFormat.Sec1))]
    public void PrivateKeyFormatOf_Private_Key_Label_Gives_The_Format_It_Announces(string label, string format)
    {
        Assert.That(PemReader.PrivateKeyFormatOf(label), Is.EqualTo(Enum.Parse<PrivateKeyFormat>(format)));
    }

    [TestCase("PUBLIC KEY", "holds a public key")]
    [TestCase("EC PUBLIC KEY", "holds a public key")]
    [TestCase("CERTIFICATE", "certificate")]
    [TestCase("OPENSSH PRIVATE KEY", "OpenSSH")]
    [TestCase("DSA PRIVATE KEY", "not a supported private key")]
    public void PrivateKeyFormatOf_Other_Label_Is_Refused(string label, string messagePart)
    {
        Assert.That(() => PemReader.PrivateKeyFormatOf(label), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains(messagePart));
    }

    [TestCase(false)]
    [TestCase(true)]
    public void FindWrappingPublicKeyBlock_Public_Key_Label_Says_Whether_It_Is_SubjectPublicKeyInfo(bool pkcs1)
    {
        string pem = pkcs1 ? TestKeys.Rsa2048.ExportRSAPublicKeyPem() : TestKeys.Rsa2048.ExportSubjectPublicKeyInfoPem();
        byte[] der = pkcs1 ? TestKeys.Rsa2048.ExportRSAPublicKey() : TestKeys.Rsa2048.ExportSubjectPublicKeyInfo();

        PemFields fields = PemReader.FindWrappingPublicKeyBlock(pem, out bool isSubjectPublicKeyInfo);

        Assert.Multiple(() =>
        {
            Assert.That(isSubjectPublicKeyInfo, Is.EqualTo(!pkcs1));
            Assert.That(Convert.FromBase64String(pem[fields.Base64Data]), Is.EqualTo(der));
        });
    }

    [Test]
    public void FindWrappingPublicKeyBlock_Private_Key_Label_Is_Refused_Naming_It()
    {
        string pem = PemEncoding.WriteString("EC PRIVATE KEY", new byte[8]);
        Assert.That(() => PemReader.FindWrappingPublicKeyBlock(pem, out _),
            Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("holds a private key ('EC PRIVATE KEY')"));
    }
}
