using System.Formats.Asn1;
using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Tests.Cryptography;

[CancelAfter(60_000)]
public class WrappingPublicKeyTests
{
    private static byte[] Spki2048 => TestKeys.Rsa2048.ExportSubjectPublicKeyInfo();

    public static IEnumerable<TestCaseData> GoodForms()
    {
        byte[] der = Spki2048;
        string base64 = Convert.ToBase64String(der);
        yield return new TestCaseData(der).SetArgDisplayNames("SPKI DER (PublicKey.bin)");
        yield return new TestCaseData(Encoding.ASCII.GetBytes(base64)).SetArgDisplayNames("Base64 (public_key)");
        yield return new TestCaseData(Encoding.ASCII.GetBytes("  \r\n" + base64 + "\r\n\n")).SetArgDisplayNames("Base64 with surrounding whitespace");
        yield return new TestCaseData(Encoding.ASCII.GetBytes(string.Join('\n', base64.Chunk(64).Select(c => new string(c))) + "\n")).SetArgDisplayNames("Base64 wrapped at 64");
        yield return new TestCaseData(Encoding.UTF8.GetPreamble().Concat(Encoding.ASCII.GetBytes(base64 + "\n")).ToArray()).SetArgDisplayNames("Base64 with UTF-8 BOM");
        yield return new TestCaseData(Encoding.ASCII.GetBytes(TestKeys.Rsa2048.ExportSubjectPublicKeyInfoPem())).SetArgDisplayNames("PEM PUBLIC KEY");
        yield return new TestCaseData(Encoding.ASCII.GetBytes("\n" + TestKeys.Rsa2048.ExportRSAPublicKeyPem() + "\n\n")).SetArgDisplayNames("PEM RSA PUBLIC KEY");
        yield return new TestCaseData(Encoding.ASCII.GetBytes(TestKeys.Rsa2048.ExportSubjectPublicKeyInfoPem().ReplaceLineEndings("\r\n"))).SetArgDisplayNames("PEM with CRLF");
    }

    public static IEnumerable<TestCaseData> BadInputs()
    {
        byte[] der = Spki2048;
        string base64 = Convert.ToBase64String(der);
        TestCaseData Case(string name, byte[] input, string messagePart) => new TestCaseData(input, messagePart).SetArgDisplayNames(name);

        yield return Case("empty", [], "empty");
        yield return Case("whitespace only", "  \r\n\t "u8.ToArray(), "empty");
        yield return Case("RSA-1024", TestKeys.Rsa1024.ExportSubjectPublicKeyInfo(), "RSA-1024; at least RSA-2048");
        yield return Case("RSA-1024 as Base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(TestKeys.Rsa1024.ExportSubjectPublicKeyInfo())), "RSA-1024");
        yield return Case("EC P-256 key", TestKeys.P256.ExportSubjectPublicKeyInfo(), "elliptic-curve key (P-256), not RSA");
        yield return Case("EC P-384 key as PEM", Encoding.ASCII.GetBytes(TestKeys.P384.ExportSubjectPublicKeyInfoPem()), "elliptic-curve key (P-384), not RSA");
        yield return Case("Ed25519 key", Convert.FromHexString("302a300506032b6570032100" + new string('a', 64)), "Ed25519 key, not RSA");
        yield return Case("DER truncated", der[..(der.Length - 10)], "not a valid SubjectPublicKeyInfo");
        yield return Case("DER with trailing garbage", [.. der, 0x00, 0x01, 0x02], "3 unexpected bytes after");
        yield return Case("PKCS#8 private key DER", TestKeys.Rsa2048.ExportPkcs8PrivateKey(), "not a valid SubjectPublicKeyInfo");
        yield return Case("PKCS#8 private key as bare Base64", Encoding.ASCII.GetBytes(Convert.ToBase64String(TestKeys.Rsa2048.ExportPkcs8PrivateKey())), "not a valid SubjectPublicKeyInfo");
        yield return Case("DER header only", der[..4], "not a valid SubjectPublicKeyInfo");
        yield return Case("binary garbage", [0xDE, 0xAD, 0xBE, 0xEF, 0x00, 0x11], "neither DER");
        yield return Case("Base64 with invalid character", Encoding.ASCII.GetBytes(base64[..40] + "*" + base64[41..]), "character '*' at position 40");
        yield return Case("Base64 truncated", Encoding.ASCII.GetBytes(base64[..^3]), "not valid Base64");
        yield return Case("Base64 of truncated DER", Encoding.ASCII.GetBytes(Convert.ToBase64String(der[..100])), "not a valid SubjectPublicKeyInfo");
        yield return Case("JSON response", Encoding.ASCII.GetBytes("{\"public_key\":\"" + base64 + "\"}"), "JSON");
        yield return Case("quoted Base64", Encoding.ASCII.GetBytes("\"" + base64 + "\""), "quotes");
        yield return Case("PEM private key", Encoding.ASCII.GetBytes(TestKeys.Rsa2048.ExportPkcs8PrivateKeyPem()), "holds a private key");
        yield return Case("PEM certificate label", Encoding.ASCII.GetBytes(PemEncoding.WriteString("CERTIFICATE", der)), "label 'CERTIFICATE'");
        yield return Case("PEM truncated", Encoding.ASCII.GetBytes(TestKeys.Rsa2048.ExportSubjectPublicKeyInfoPem()[..200]), "PEM is malformed");
        yield return Case("PEM with trailing text", Encoding.ASCII.GetBytes(TestKeys.Rsa2048.ExportSubjectPublicKeyInfoPem() + "\nextra"), "extra text");
        yield return Case("PEM label mismatch (SPKI under RSA PUBLIC KEY)", Encoding.ASCII.GetBytes(PemEncoding.WriteString("RSA PUBLIC KEY", der)), "PKCS#1");
        yield return Case("public exponent 1", RsaSpki(TestKeys.Rsa2048.ExportParameters(false).Modulus!, [1]), "exponent");
        yield return Case("even modulus", RsaSpki(EvenModulus(), [1, 0, 1]), "modulus");
        yield return Case("control characters", "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEA\u0001"u8.ToArray(), "neither DER");
    }

    [TestCaseSource(nameof(GoodForms))]
    public void Load_Every_Form_Is_Detected(byte[] input)
    {
        WrappingPublicKey key = WrappingPublicKey.Load(input);
        Assert.Multiple(() =>
        {
            Assert.That(key.KeySizeInBits, Is.EqualTo(2048));
            Assert.That(key.SubjectPublicKeyInfo.ToArray(), Is.EqualTo(Spki2048));
            Assert.That(key.ToBase64(), Is.EqualTo(Convert.ToBase64String(Spki2048)));
            Assert.That(key.ToString(), Is.EqualTo("WrappingPublicKey { RSA-2048 }"));
        });
    }

    [TestCase(2048)]
    [TestCase(3072)]
    [TestCase(4096)]
    public void ExplicitLoaders_Their_Own_Form_Load_The_Key(int bits)
    {
        RSA rsa = TestKeys.Rsa(bits);
        byte[] der = rsa.ExportSubjectPublicKeyInfo();
        WrappingPublicKey[] keys =
        [
            WrappingPublicKey.FromSubjectPublicKeyInfo(der),
            WrappingPublicKey.FromBase64(Convert.ToBase64String(der)),
            WrappingPublicKey.FromBase64("\n " + Convert.ToBase64String(der, Base64FormattingOptions.InsertLineBreaks) + "\n"),
            WrappingPublicKey.FromPem(rsa.ExportSubjectPublicKeyInfoPem()),
            WrappingPublicKey.FromPem(rsa.ExportRSAPublicKeyPem()),
        ];
        Assert.That(keys.Select(k => (k.KeySizeInBits, Convert.ToHexString(k.SubjectPublicKeyInfo.Span))),
            Is.All.EqualTo((bits, Convert.ToHexString(der))));
    }

    [TestCaseSource(nameof(BadInputs))]
    public void Load_Bad_Input_Is_Refused_Saying_What_Is_Wrong(byte[] input, string messagePart)
    {
        Assert.That(() => WrappingPublicKey.Load(input), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains(messagePart));
    }

    [Test]
    public void Loaders_Secret_Material_In_Their_Place_Never_Echo_Its_Bytes()
    {
        // Raw AES material given where the wrapping key belongs (swapped arguments): no byte of it may reach a message.
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        secret[0] = 0xA7;
        secret[1] = 0x9C;
        Assert.Multiple(() =>
        {
            Assert.That(() => WrappingPublicKey.Load(secret), Throws.TypeOf<KeyImportValidationException>()
                .With.Message.Contains("neither DER").And.Message.Not.Contain("A7").IgnoreCase.And.Message.Not.Contain("9C").IgnoreCase);
            Assert.That(() => WrappingPublicKey.FromSubjectPublicKeyInfo(secret), Throws.TypeOf<KeyImportValidationException>()
                .With.Message.Contains("SubjectPublicKeyInfo").And.Message.Not.Contain("A7").IgnoreCase);
        });
    }

    [Test]
    public void ExplicitLoaders_Wrong_Form_Are_Refused()
    {
        string pem = TestKeys.Rsa2048.ExportSubjectPublicKeyInfoPem();
        Assert.Multiple(() =>
        {
            Assert.That(() => WrappingPublicKey.FromBase64(pem), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("not valid Base64"));
            Assert.That(() => WrappingPublicKey.FromPem(Convert.ToBase64String(Spki2048)), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("PEM is malformed"));
            Assert.That(() => WrappingPublicKey.FromSubjectPublicKeyInfo(Encoding.ASCII.GetBytes(pem)), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("SubjectPublicKeyInfo"));
            Assert.That(() => WrappingPublicKey.FromSubjectPublicKeyInfo(ReadOnlySpan<byte>.Empty), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("empty"));
            Assert.That(() => WrappingPublicKey.FromPem(TestKeys.Rsa2048.ExportRSAPrivateKeyPem()),
                Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("holds a private key ('RSA PRIVATE KEY')"));
            Assert.That(() => WrappingPublicKey.FromPem(" \n"), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("empty"));
            Assert.That(() => WrappingPublicKey.FromBase64(" \n"), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("empty"));
            Assert.That(() => WrappingPublicKey.FromBase64(null!), Throws.ArgumentNullException);
            Assert.That(() => WrappingPublicKey.FromPem(null!), Throws.ArgumentNullException);
        });
    }

    [TestCase(2048, "RSAES_OAEP_SHA_256", 190)]
    [TestCase(2048, "RSAES_OAEP_SHA_1", 214)]
    [TestCase(3072, "RSAES_OAEP_SHA_256", 318)]
    [TestCase(4096, "RSAES_OAEP_SHA_256", 446)]
    public void MaxPayloadLength_Rsa_Oaep_Is_Modulus_Minus_Two_Hashes_Minus_Two(int bits, string algorithm, int expected)
    {
        WrappingPublicKey key = WrappingPublicKey.FromSubjectPublicKeyInfo(TestKeys.Rsa(bits).ExportSubjectPublicKeyInfo());
        Assert.That(key.MaxPayloadLength(new WrappingAlgorithm(algorithm)), Is.EqualTo(expected));

        // The limit is exact: OAEP accepts 'expected' bytes and rejects one more.
        Assert.That(TestKeys.Rsa(bits).Encrypt(new byte[expected], new WrappingAlgorithm(algorithm).Padding), Has.Length.EqualTo(bits / 8));
        Assert.That(() => TestKeys.Rsa(bits).Encrypt(new byte[expected + 1], new WrappingAlgorithm(algorithm).Padding), Throws.InstanceOf<CryptographicException>());
    }

    [TestCase("SM2_ENCRYPT", "needs an SM2 wrapping key")]
    [TestCase("RSAES_OAEP_SHA_512", "unknown")]
    public void MaxPayloadLength_Unsupported_Algorithm_Is_Refused(string algorithm, string reason)
    {
        WrappingPublicKey key = WrappingPublicKey.FromSubjectPublicKeyInfo(Spki2048);
        Assert.That(() => key.MaxPayloadLength(new WrappingAlgorithm(algorithm)),
            Throws.TypeOf<KeyImportValidationException>().With.Message.Contains(algorithm).And.Message.Contains(reason));
    }

    private static byte[] RsaSpki(byte[] modulus, byte[] exponent)
    {
        var rsaKey = new AsnWriter(AsnEncodingRules.DER);
        using (rsaKey.PushSequence())
        {
            rsaKey.WriteInteger(new BigInteger(modulus, isUnsigned: true, isBigEndian: true));
            rsaKey.WriteInteger(new BigInteger(exponent, isUnsigned: true, isBigEndian: true));
        }

        var spki = new AsnWriter(AsnEncodingRules.DER);
        using (spki.PushSequence())
        {
            using (spki.PushSequence())
            {
                spki.WriteObjectIdentifier("1.2.840.113549.1.1.1");
                spki.WriteNull();
            }

            spki.WriteBitString(rsaKey.Encode());
        }

        return spki.Encode();
    }

    private static byte[] EvenModulus()
    {
        byte[] modulus = TestKeys.Rsa2048.ExportParameters(false).Modulus!;
        modulus[^1] &= 0xFE;
        return modulus;
    }
}
