using System.Security.Cryptography;
using System.Text;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Tests.Cryptography;

[CancelAfter(60_000)]
public class KeyMaterialTests
{
    private const string Password = "correct horse battery staple";

    private static readonly PbeParameters s_pbe = new(PbeEncryptionAlgorithm.Aes256Cbc, HashAlgorithmName.SHA256, 1000);

    public static IEnumerable<TestCaseData> SymmetricSpecs()
    {
        yield return new TestCaseData("AES_256", 32);
        yield return new TestCaseData("HMAC_256", 32);
        yield return new TestCaseData("HMAC_384", 48);
        yield return new TestCaseData("HMAC_512", 64);
    }

    public static IEnumerable<TestCaseData> PrivateKeyForms()
    {
        foreach ((string name, AsymmetricAlgorithm key) in new (string, AsymmetricAlgorithm)[]
        {
            ("RSA-2048", TestKeys.Rsa2048), ("RSA-3072", TestKeys.Rsa3072), ("RSA-4096", TestKeys.Rsa4096),
            ("P-256", TestKeys.P256), ("P-384", TestKeys.P384), ("secp256k1", TestKeys.Secp256k1),
        })
        {
            byte[] pkcs8 = key.ExportPkcs8PrivateKey();
            TestCaseData Case(string form, byte[] input, string password = "") => new TestCaseData(input, password, pkcs8).SetArgDisplayNames(name, form);

            yield return Case("PKCS#8 DER", pkcs8);
            yield return Case("PKCS#8 PEM", Ascii(key.ExportPkcs8PrivateKeyPem()));
            yield return Case("encrypted PKCS#8 DER", key.ExportEncryptedPkcs8PrivateKey(Password, s_pbe), Password);
            yield return Case("encrypted PKCS#8 PEM", Ascii(key.ExportEncryptedPkcs8PrivateKeyPem(Password, s_pbe)), Password);
            yield return Case("PKCS#8 PEM with CRLF and BOM", [.. Encoding.UTF8.GetPreamble(), .. Ascii(key.ExportPkcs8PrivateKeyPem().ReplaceLineEndings("\r\n") + "\r\n")]);
            if (key is RSA rsa)
            {
                yield return Case("PKCS#1 DER", rsa.ExportRSAPrivateKey());
                yield return Case("PKCS#1 PEM", Ascii(rsa.ExportRSAPrivateKeyPem()));
            }
            else if (key is ECDsa ecdsa)
            {
                yield return Case("SEC1 DER", ecdsa.ExportECPrivateKey());
                yield return Case("SEC1 PEM", Ascii(ecdsa.ExportECPrivateKeyPem()));
                yield return Case("EC PARAMETERS + SEC1 PEM", Ascii(PemEncoding.WriteString("EC PARAMETERS", CurveOidDer(ecdsa)) + "\n" + ecdsa.ExportECPrivateKeyPem()));
            }
        }
    }

    public static IEnumerable<TestCaseData> BadPrivateKeys()
    {
        byte[] rsaPkcs8 = TestKeys.Rsa2048.ExportPkcs8PrivateKey();
        string rsaPem = TestKeys.Rsa2048.ExportPkcs8PrivateKeyPem();
        byte[] encrypted = TestKeys.Rsa2048.ExportEncryptedPkcs8PrivateKey(Password, s_pbe);
        TestCaseData Case(string name, byte[] input, string messagePart, string password = "", string? expectedSpec = null) =>
            new TestCaseData(input, password, expectedSpec, messagePart).SetArgDisplayNames(name);

        yield return Case("empty", [], "empty");
        yield return Case("whitespace only", " \r\n\t"u8.ToArray(), "empty");
        yield return Case("binary garbage", [0xC3, 0x28, 0xA0, 0xA1, 0x00, 0xFF], "neither DER");
        yield return Case("text garbage", "hello, this is not a key"u8.ToArray(), "no '-----BEGIN");
        yield return Case("PEM truncated mid-Base64", Ascii(rsaPem[..(rsaPem.Length / 2)]), "PEM is malformed");
        yield return Case("PEM without END line", Ascii(rsaPem.Replace("-----END PRIVATE KEY-----", string.Empty, StringComparison.Ordinal)), "PEM is malformed");
        yield return Case("PEM with edited Base64", Ascii(rsaPem[..100] + "!!!!" + rsaPem[104..]), "PEM is malformed");
        yield return Case("PEM with trailing text", Ascii(rsaPem + "\nmore text\n"), "text after its last");
        yield return Case("PEM with leading text", Ascii("Bag Attributes\n" + rsaPem), "text outside");
        yield return Case("PEM of a truncated DER", Ascii(PemEncoding.WriteString("PRIVATE KEY", rsaPkcs8[..300])), "malformed or truncated");
        yield return Case("DER truncated", rsaPkcs8[..(rsaPkcs8.Length - 1)], "malformed or truncated");
        yield return Case("DER truncated to its header", rsaPkcs8[..4], "malformed or truncated");
        yield return Case("DER with trailing bytes", [.. rsaPkcs8, 0x0A], "1 unexpected bytes after");
        yield return Case("DER with a corrupted modulus", CorruptModulus(rsaPkcs8), "corrupted or its numbers are inconsistent");
        yield return Case("encrypted PEM without password", Ascii(TestKeys.Rsa2048.ExportEncryptedPkcs8PrivateKeyPem(Password, s_pbe)), "encrypted (ENCRYPTED PRIVATE KEY); pass its password");
        yield return Case("encrypted DER without password", encrypted, "pass its password");
        yield return Case("encrypted PEM with wrong password", Ascii(TestKeys.Rsa2048.ExportEncryptedPkcs8PrivateKeyPem(Password, s_pbe)), "password is wrong", "wrong password");
        yield return Case("encrypted DER truncated", encrypted[..^16], "malformed or truncated", Password);
        yield return Case("legacy OpenSSL encrypted PEM", Ascii("-----BEGIN RSA PRIVATE KEY-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,00112233445566778899AABBCCDDEEFF\n\nAAAA\n-----END RSA PRIVATE KEY-----\n"), "openssl pkcs8 -topk8");
        yield return Case("RSA-1024", TestKeys.Rsa1024.ExportPkcs8PrivateKey(), "RSA-1024 keys cannot be imported");
        yield return Case("RSA-1024 PKCS#1 PEM", Ascii(TestKeys.Rsa1024.ExportRSAPrivateKeyPem()), "RSA_2048, RSA_3072 and RSA_4096");
        yield return Case("EC P-521", TestKeys.P521.ExportPkcs8PrivateKey(), "P-521 cannot be imported");
        yield return Case("EC P-521 SEC1 PEM", Ascii(TestKeys.P521.ExportECPrivateKeyPem()), "P-521");
        yield return Case("EC P-521 encrypted", TestKeys.P521.ExportEncryptedPkcs8PrivateKey(Password, s_pbe), "P-521", Password);
        yield return Case("EC key for an RSA spec", TestKeys.P256.ExportPkcs8PrivateKey(), "EC_P256 but the KMS key expects RSA_2048", expectedSpec: "RSA_2048");
        yield return Case("RSA-3072 key for RSA_4096", TestKeys.Rsa3072.ExportPkcs8PrivateKey(), "RSA_3072 but the KMS key expects RSA_4096", expectedSpec: "RSA_4096");
        yield return Case("P-384 key for EC_P256", Ascii(TestKeys.P384.ExportECPrivateKeyPem()), "EC_P384 but the KMS key expects EC_P256", expectedSpec: "EC_P256");
        yield return Case("explicit curve parameters", ExplicitCurveKey(), "explicit curve parameters");
        yield return Case("public key PEM", Ascii(TestKeys.Rsa2048.ExportSubjectPublicKeyInfoPem()), "holds a public key");
        yield return Case("public key DER", TestKeys.Rsa2048.ExportSubjectPublicKeyInfo(), "is a public key");
        yield return Case("certificate PEM", Ascii(PemEncoding.WriteString("CERTIFICATE", rsaPkcs8)), "certificate");
        yield return Case("OpenSSH key", Ascii(PemEncoding.WriteString("OPENSSH PRIVATE KEY", "openssh-key-v1\0"u8)), "ssh-keygen -p -m PKCS8");
        yield return Case("unknown PEM label", Ascii(PemEncoding.WriteString("DSA PRIVATE KEY", rsaPkcs8)), "label 'DSA PRIVATE KEY' is not a supported");
        yield return Case("two keys in one PEM", Ascii(rsaPem + "\n" + TestKeys.P256.ExportPkcs8PrivateKeyPem()), "2 blocks");
        yield return Case("only EC PARAMETERS", Ascii(PemEncoding.WriteString("EC PARAMETERS", CurveOidDer(TestKeys.P256))), "only EC PARAMETERS");
        yield return Case("PKCS#8 under RSA PRIVATE KEY label", Ascii(PemEncoding.WriteString("RSA PRIVATE KEY", rsaPkcs8)), "does not match its label");
        yield return Case("SEC1 under PRIVATE KEY label", Ascii(PemEncoding.WriteString("PRIVATE KEY", TestKeys.P256.ExportECPrivateKey())), "does not match its label");
        yield return Case("Ed25519 PKCS#8", Convert.FromHexString("302e020100300506032b657004220420" + new string('1', 64)), "Ed25519 key, which KMS cannot import");
        yield return Case("DER that is a bare INTEGER", [0x02, 0x01, 0x00], "neither DER (which starts with byte 0x30)");
        yield return Case("DER SEQUENCE of BOOLEAN", [0x30, 0x03, 0x01, 0x01, 0xFF], "not a PKCS#8, PKCS#1 or SEC1");
    }

    [TestCaseSource(nameof(SymmetricSpecs))]
    public void FromSymmetricKey_Right_Length_Copies_The_Material(string spec, int length)
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(length);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(bytes, new KeySpec(spec));
        bytes[0] ^= 0xFF; // a copy, not a view
        bytes[0] ^= 0xFF;
        Assert.Multiple(() =>
        {
            Assert.That(material.KeySpec, Is.EqualTo(new KeySpec(spec)));
            Assert.That(material.IsPrivateKey, Is.False);
            Assert.That(material.Length, Is.EqualTo(length));
            Assert.That(material.Span.ToArray(), Is.EqualTo(bytes));
            Assert.That(material.ComputeFingerprint(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(bytes))));
            Assert.That(material.ToString(), Does.Not.Contain(Convert.ToHexString(bytes)).IgnoreCase.And.Contains(spec));
        });
    }

    [TestCase("AES_256", 16, "AES_256 material must be 32 bytes (256 bits); got 16 bytes")]
    [TestCase("AES_256", 0, "got 0 bytes")]
    [TestCase("HMAC_256", 64, "HMAC_256 material must be 32 bytes")]
    [TestCase("HMAC_384", 32, "HMAC_384 material must be 48 bytes")]
    [TestCase("HMAC_512", 48, "HMAC_512 material must be 64 bytes")]
    [TestCase("RSA_2048", 32, "asymmetric key spec")]
    [TestCase("EC_P256", 32, "KeyMaterial.FromPrivateKey")]
    [TestCase("SM4", 32, "SM4 material must be 16 bytes")]
    [TestCase("HMAC_SM3", 32, "does not document importing material for HMAC_SM3")]
    [TestCase("AES_128", 16, "'AES_128' is unknown")]
    public void FromSymmetricKey_Mismatched_Or_Non_Importable_Spec_Is_Refused(string spec, int length, string messagePart)
    {
        byte[] bytes = RandomNumberGenerator.GetBytes(length);
        Assert.That(() => KeyMaterial.FromSymmetricKey(bytes, new KeySpec(spec)),
            Throws.TypeOf<KeyImportValidationException>().With.Message.Contains(messagePart));
    }

    [Test]
    public void FromSymmetricKey_Hex_Text_Zeros_Or_Missing_Spec_Is_Refused()
    {
        byte[] key = RandomNumberGenerator.GetBytes(32);
        byte[] hexFile = Encoding.ASCII.GetBytes(Convert.ToHexStringLower(key) + "\n"); // the guide's 0xPlaintextKeyMaterial.bin
        Assert.Multiple(() =>
        {
            Assert.That(() => KeyMaterial.FromSymmetricKey(hexFile, KeySpec.Aes256),
                Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("64 hex characters").And.Message.Contains("xxd -r -ps"));
            Assert.That(() => KeyMaterial.FromSymmetricKey(new byte[32], KeySpec.Aes256),
                Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("all zero bytes"));
            Assert.That(() => KeyMaterial.FromSymmetricKey(key, default),
                Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("No key spec"));
        });
    }

    [TestCaseSource(nameof(PrivateKeyForms))]
    public void FromPrivateKey_Every_Form_Normalizes_To_The_Same_Pkcs8(byte[] input, string password, byte[] pkcs8)
    {
        using KeyMaterial material = KeyMaterial.FromPrivateKey(input, password);
        Assert.Multiple(() =>
        {
            Assert.That(material.IsPrivateKey, Is.True);
            Assert.That(material.Span.ToArray(), Is.EqualTo(pkcs8));
            Assert.That(material.Length, Is.EqualTo(pkcs8.Length));
            Assert.That(material.ComputeFingerprint(), Is.EqualTo(Convert.ToHexStringLower(SHA256.HashData(pkcs8))));
        });
    }

    [Test]
    public void Loaders_Objects_And_Pem_Text_Load_To_Their_Spec()
    {
        Assert.Multiple(() =>
        {
            AssertSpec(KeyMaterial.FromRsa(TestKeys.Rsa2048), KeySpec.Rsa2048, TestKeys.Rsa2048.ExportPkcs8PrivateKey());
            AssertSpec(KeyMaterial.FromRsa(TestKeys.Rsa3072, KeySpec.Rsa3072), KeySpec.Rsa3072, TestKeys.Rsa3072.ExportPkcs8PrivateKey());
            AssertSpec(KeyMaterial.FromRsa(TestKeys.Rsa4096), KeySpec.Rsa4096, TestKeys.Rsa4096.ExportPkcs8PrivateKey());
            AssertSpec(KeyMaterial.FromECDsa(TestKeys.P256, KeySpec.EcP256), KeySpec.EcP256, TestKeys.P256.ExportPkcs8PrivateKey());
            AssertSpec(KeyMaterial.FromECDsa(TestKeys.P384), KeySpec.EcP384, TestKeys.P384.ExportPkcs8PrivateKey());
            AssertSpec(KeyMaterial.FromECDsa(TestKeys.Secp256k1), KeySpec.Secp256k1, TestKeys.Secp256k1.ExportPkcs8PrivateKey());
            AssertSpec(KeyMaterial.FromPrivateKeyPem(TestKeys.P384.ExportECPrivateKeyPem(), expectedKeySpec: KeySpec.EcP384), KeySpec.EcP384, TestKeys.P384.ExportPkcs8PrivateKey());
            AssertSpec(KeyMaterial.FromPrivateKeyPem(TestKeys.Rsa2048.ExportEncryptedPkcs8PrivateKeyPem(Password, s_pbe), Password), KeySpec.Rsa2048, TestKeys.Rsa2048.ExportPkcs8PrivateKey());
            AssertSpec(KeyMaterial.FromPrivateKeyPem("\uFEFF" + TestKeys.P256.ExportPkcs8PrivateKeyPem()), KeySpec.EcP256, TestKeys.P256.ExportPkcs8PrivateKey());
            // A password given for an unencrypted key is ignored, as openssl does.
            AssertSpec(KeyMaterial.FromPrivateKey(TestKeys.Rsa2048.ExportPkcs8PrivateKey(), "unused"), KeySpec.Rsa2048, TestKeys.Rsa2048.ExportPkcs8PrivateKey());
        });
        Assert.That(KeySpec.Secp256k1.IsImportable, Is.False, "the loader recognises secp256k1; the client refuses to import it");
    }

    [Test]
    public void FromPrivateKey_Sec1_Key_Without_Public_Point_Gives_Pkcs8_With_Curve_And_Public_Key()
    {
        // A SEC1 key without its public point ([1]), as some HSM exports are: the loader derives the point.
        ECParameters parameters = TestKeys.P256.ExportParameters(true);
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        using (writer.PushSequence())
        {
            writer.WriteInteger(1);
            writer.WriteOctetString(parameters.D);
            using (writer.PushSequence(new System.Formats.Asn1.Asn1Tag(System.Formats.Asn1.TagClass.ContextSpecific, 0, isConstructed: true)))
            {
                writer.WriteObjectIdentifier("1.2.840.10045.3.1.7");
            }
        }

        using KeyMaterial material = KeyMaterial.FromPrivateKey(writer.Encode());
        Assert.That(material.Span.ToArray(), Is.EqualTo(TestKeys.P256.ExportPkcs8PrivateKey()));
    }

    [TestCaseSource(nameof(BadPrivateKeys))]
    public void FromPrivateKey_Bad_Input_Is_Refused_Saying_What_Is_Wrong(byte[] input, string password, string? expectedSpec, string messagePart)
    {
        KeySpec? expected = expectedSpec is null ? default(KeySpec?) : new KeySpec(expectedSpec);
        var thrown = Assert.Throws<KeyImportValidationException>(() => KeyMaterial.FromPrivateKey(input, password, expected).Dispose());
        Assert.Multiple(() =>
        {
            Assert.That(thrown!.Message, Does.Contain(messagePart));
            if (password.Length > 0)
            {
                Assert.That(thrown.Message, Does.Not.Contain(password), "the password never reaches a message");
            }
        });
    }

    [Test]
    public void FromPrivateKey_Secret_Material_In_Its_Place_Never_Echoes_Its_Bytes()
    {
        // Raw AES material given where a private key belongs: neither its first byte nor any other may reach the message.
        byte[] secret = RandomNumberGenerator.GetBytes(32);
        secret[0] = 0xA7;
        secret[1] = 0x9C;
        var error = Assert.Throws<KeyImportValidationException>(() => KeyMaterial.FromPrivateKey(secret));
        Assert.That(error!.Message, Does.Contain("neither DER").And.Not.Contain("A7").IgnoreCase.And.Not.Contain("9C").IgnoreCase);
    }

    [Test]
    public void FromRsaAndFromECDsa_Public_Only_Key_Or_Unsupported_Size_Is_Refused()
    {
        using var publicOnly = RSA.Create();
        publicOnly.ImportSubjectPublicKeyInfo(TestKeys.Rsa2048.ExportSubjectPublicKeyInfo(), out _);
        using var publicEc = ECDsa.Create();
        publicEc.ImportSubjectPublicKeyInfo(TestKeys.P256.ExportSubjectPublicKeyInfo(), out _);
        Assert.Multiple(() =>
        {
            Assert.That(() => KeyMaterial.FromRsa(publicOnly), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("only a public key").Or.Message.Contains("holds no private part"));
            Assert.That(() => KeyMaterial.FromECDsa(publicEc), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("holds no private part"));
            Assert.That(() => KeyMaterial.FromRsa(TestKeys.Rsa1024), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("RSA-1024"));
            Assert.That(() => KeyMaterial.FromECDsa(TestKeys.P521), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("P-521"));
            Assert.That(() => KeyMaterial.FromRsa(TestKeys.Rsa2048, KeySpec.EcP256), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("expects EC_P256"));
            Assert.That(() => KeyMaterial.FromRsa(null!), Throws.ArgumentNullException);
            Assert.That(() => KeyMaterial.FromECDsa(null!), Throws.ArgumentNullException);
        });
    }

    [Test]
    public void FromRsa_Private_Numbers_Do_Not_Match_Is_Refused_At_Import_Or_By_The_Loader()
    {
        // Consistent shape, wrong values: d, and dQ too, since OpenSSL signs with the CRT values and a wrong d
        // alone would pass a pairwise check.
        RSAParameters broken = TestKeys.Rsa2048.ExportParameters(true);
        broken.D![^1] ^= 0x02;
        broken.DQ![^1] ^= 0x04;
        using var rsa = RSA.Create();
        bool imported = false;

        Exception? refusal = Assert.Catch(() =>
        {
            rsa.ImportParameters(broken);
            imported = true;
            KeyMaterial.FromRsa(rsa).Dispose();
        });

        // OpenSSL 3 (Linux) refuses such a key at import; where the platform takes it, the loader's own check must.
        Assert.That(refusal, imported
            ? Is.TypeOf<KeyImportValidationException>().With.Message.Contains("RSA")
            : Is.InstanceOf<CryptographicException>());
    }

    [Test]
    public void Dispose_Private_Key_Zeroes_The_Copy_And_Blocks_Further_Use()
    {
        using KeyMaterial material = KeyMaterial.FromRsa(TestKeys.Rsa2048);
        Assert.That(material.IsZeroed, Is.False);

        material.Dispose();
        material.Dispose();
        Assert.Multiple(() =>
        {
            Assert.That(material.IsZeroed, Is.True, "every byte of the buffer is zero");
            Assert.That(() => material.ComputeFingerprint(), Throws.TypeOf<ObjectDisposedException>());
        });
    }

    private static void AssertSpec(KeyMaterial material, KeySpec spec, byte[] pkcs8)
    {
        using (material)
        {
            Assert.That(material.KeySpec, Is.EqualTo(spec));
            Assert.That(material.Span.ToArray(), Is.EqualTo(pkcs8), spec.ToString());
        }
    }

    private static byte[] Ascii(string text) => Encoding.ASCII.GetBytes(text);

    private static byte[] CurveOidDer(ECDsa ecdsa)
    {
        var writer = new System.Formats.Asn1.AsnWriter(System.Formats.Asn1.AsnEncodingRules.DER);
        writer.WriteObjectIdentifier(ecdsa.ExportParameters(false).Curve.Oid.Value!);
        return writer.Encode();
    }

    // Flips a bit inside the modulus; the structure stays valid DER.
    private static byte[] CorruptModulus(byte[] pkcs8)
    {
        byte[] copy = (byte[])pkcs8.Clone();
        copy[60] ^= 0x10;
        return copy;
    }

    private static byte[] ExplicitCurveKey()
    {
        using var explicitKey = ECDsa.Create();
        explicitKey.ImportParameters(TestKeys.P256.ExportExplicitParameters(true));
        return explicitKey.ExportPkcs8PrivateKey();
    }

    [Test]
    public void FromPrivateKey_Encrypted_With_The_Empty_Password_Loads_Without_A_Password()
    {
        byte[] pem = Encoding.ASCII.GetBytes(TestKeys.P256.ExportEncryptedPkcs8PrivateKeyPem(string.Empty, s_pbe));
        using KeyMaterial material = KeyMaterial.FromPrivateKey(pem);
        Assert.That(material.KeySpec, Is.EqualTo(KeySpec.EcP256));
    }

    [Test]
    public void Dispose_During_A_Lease_Zeroes_Only_When_The_Lease_Ends()
    {
        byte[] bytes = System.Security.Cryptography.RandomNumberGenerator.GetBytes(32);
        var material = KeyMaterial.FromSymmetricKey(bytes, KeySpec.Aes256);
        KeyMaterial.Lease lease = material.AcquireLease();
        material.Dispose();
        Assert.That(lease.Span.ToArray(), Is.EqualTo(bytes), "whole while the lease lasts");
        Assert.Throws<ObjectDisposedException>(() => material.AcquireLease().Dispose());
        Assert.That(material.IsZeroed, Is.False, "not zeroed yet");
        Assert.That(lease.Span.ToArray(), Is.EqualTo(bytes), "still whole after the refused lease");
        lease.Dispose();
        Assert.That(material.IsZeroed, Is.True, "zeroed by the last lease");
    }
}
