using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Text;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Tests.TestSupport;

namespace KmsImport.Sdk.Tests.Cryptography;

// SM2_ENCRYPT and RFC 5649 over SM4 against the real openssl binary (OpenSSL 3 reads and writes the GM/T 0009 DER
// SM2 ciphertext and SM4-ECB blocks; it has no SM4 key wrap, so that is checked against a reference written in the test).
[CancelAfter(240_000)]
public class SmInteropTests
{
    private const string Password = "sm-interop-password";
    private readonly Dictionary<string, byte[]> _files = new(StringComparer.Ordinal);

    [OneTimeSetUp]
    public async Task GenerateKeysWithOpenSsl()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        CancellationToken ct = timeout.Token;
        using OpenSslRunner openssl = OpenSslRunner.Create();
        Assert.That(await openssl.RunAsync(ct, "version"), Does.StartWith("OpenSSL 3"));

        // The service's side: an SM2 wrapping key pair; users see only the SPKI DER.
        await openssl.RunAsync(ct, "genpkey", "-algorithm", "SM2", "-out", "wrap_priv.pem");
        await openssl.RunAsync(ct, "pkey", "-in", "wrap_priv.pem", "-pubout", "-outform", "DER", "-out", "wrap_pub.der");
        await openssl.RunAsync(ct, "pkey", "-in", "wrap_priv.pem", "-pubout", "-out", "wrap_pub.pem");
        await openssl.RunAsync(ct, "pkcs8", "-topk8", "-nocrypt", "-in", "wrap_priv.pem", "-outform", "DER", "-out", "wrap_priv.der");

        // The user's SM2 key to import, in every form openssl writes.
        await openssl.RunAsync(ct, "genpkey", "-algorithm", "SM2", "-out", "sm2.pem");
        await openssl.RunAsync(ct, "pkcs8", "-topk8", "-nocrypt", "-in", "sm2.pem", "-outform", "DER", "-out", "sm2_pkcs8.der");
        await openssl.RunAsync(ct, "pkcs8", "-topk8", "-in", "sm2.pem", "-passout", "pass:" + Password, "-out", "sm2_enc.pem");
        await openssl.RunAsync(ct, "pkcs8", "-topk8", "-in", "sm2.pem", "-passout", "pass:", "-out", "sm2_enc_empty.pem");
        await openssl.RunAsync(ct, "ec", "-in", "sm2.pem", "-out", "sm2_sec1.pem");
        await openssl.RunAsync(ct, "pkey", "-in", "sm2.pem", "-pubout", "-outform", "DER", "-out", "sm2_pub.der");
        await openssl.RunAsync(ct, "ec", "-in", "sm2.pem", "-outform", "DER", "-out", "sm2_sec1.der");
        await openssl.RunAsync(ct, "ecparam", "-name", "SM2", "-genkey", "-noout", "-out", "other_sm2.pem");
        foreach (string name in new[] { "wrap_priv.pem", "wrap_pub.der", "wrap_pub.pem", "wrap_priv.der", "sm2.pem", "sm2_pkcs8.der", "sm2_enc.pem", "sm2_enc_empty.pem", "sm2_pub.der", "sm2_sec1.pem", "sm2_sec1.der", "other_sm2.pem" })
        {
            _files[name] = openssl.ReadFile(name);
        }
    }

    [Test]
    public async Task Wrap_Sm4_Material_Under_Sm2_Encrypt_Decrypts_With_OpenSsl_Pkeyutl(CancellationToken ct)
    {
        WrappingPublicKey wrappingKey = WrappingPublicKey.Load(_files["wrap_pub.der"]);
        Assert.That(wrappingKey.IsSm2, Is.True);
        using OpenSslRunner openssl = OpenSslRunner.Create();
        openssl.WriteFile("wrap_priv.pem", _files["wrap_priv.pem"]);

        // Enough rounds that both a high-bit and (often) a shorter coordinate occur in the DER INTEGERs.
        for (int round = 0; round < 12; round++)
        {
            byte[] sm4 = RandomNumberGenerator.GetBytes(16);
            using KeyMaterial material = KeyMaterial.FromSymmetricKey(sm4, KeySpec.Sm4);
            WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(material, wrappingKey, WrappingAlgorithm.Sm2Encrypt);
            Assert.That(wrapped.EncryptedPrivateKey, Is.Null);
            AssertCanonicalSm2Der(wrapped.EncryptedKeyMaterial.ToArray(), 16);

            openssl.WriteFile("EncryptedKeyMaterial.bin", wrapped.EncryptedKeyMaterial.Span);
            await openssl.RunAsync(ct, "pkeyutl", "-decrypt", "-inkey", "wrap_priv.pem", "-in", "EncryptedKeyMaterial.bin", "-out", "decrypted.bin");
            Assert.That(openssl.ReadFile("decrypted.bin"), Is.EqualTo(sm4), $"round {round}");
        }
    }

    [Test]
    public async Task SmReferenceSm2Decrypt_OpenSsl_Ciphertext_Gives_The_Plaintext(CancellationToken ct)
    {
        using OpenSslRunner openssl = OpenSslRunner.Create();
        openssl.WriteFile("wrap_pub.pem", _files["wrap_pub.pem"]);
        for (int round = 0; round < 4; round++)
        {
            byte[] sm4 = RandomNumberGenerator.GetBytes(16);
            openssl.WriteFile("sm4.bin", sm4);
            await openssl.RunAsync(ct, "pkeyutl", "-encrypt", "-pubin", "-inkey", "wrap_pub.pem", "-in", "sm4.bin", "-out", "enc.bin");
            byte[] ciphertext = openssl.ReadFile("enc.bin");
            AssertCanonicalSm2Der(ciphertext, 16);
            Assert.That(SmReference.Sm2Decrypt(_files["wrap_priv.der"], ciphertext), Is.EqualTo(sm4));
        }
    }

    [Test]
    public void Sm2EncryptionEncrypt_Same_Plaintext_Twice_Gives_Fresh_Ciphertexts_The_Reference_Decrypts()
    {
        WrappingPublicKey wrappingKey = WrappingPublicKey.FromPem(Encoding.ASCII.GetString(_files["wrap_pub.pem"]));
        byte[] sm4 = RandomNumberGenerator.GetBytes(16);
        byte[] first = Sm2Encryption.Encrypt(wrappingKey.Sm2!, sm4);
        byte[] second = Sm2Encryption.Encrypt(wrappingKey.Sm2!, sm4);
        Assert.Multiple(() =>
        {
            Assert.That(first, Is.Not.EqualTo(second), "a fresh ephemeral key per encryption");
            Assert.That(SmReference.Sm2Decrypt(_files["wrap_priv.der"], first), Is.EqualTo(sm4));
            Assert.That(SmReference.Sm2Decrypt(_files["wrap_priv.der"], second), Is.EqualTo(sm4));
        });
    }

    [TestCase("sm2.pem", null)]
    [TestCase("sm2_pkcs8.der", null)]
    [TestCase("sm2_enc.pem", Password)]
    [TestCase("sm2_sec1.pem", null)]
    [TestCase("sm2_sec1.der", null)]
    public void Sm2PrivateKey_Every_Form_Normalizes_To_OpenSsl_Pkcs8(string file, string? password)
    {
        using KeyMaterial material = KeyMaterial.FromPrivateKey(_files[file], password, KeySpec.Sm2);
        Assert.Multiple(() =>
        {
            Assert.That(material.KeySpec, Is.EqualTo(KeySpec.Sm2));
            Assert.That(material.IsPrivateKey, Is.True);
            Assert.That(material.Span.ToArray(), Is.EqualTo(_files["sm2_pkcs8.der"]));
        });
    }

    [Test]
    public void TryFromEncrypted_Right_Password_Wrong_Password_Or_Truncated_Input_Gives_OpenSsl_Pkcs8_Or_Null()
    {
        // The path taken where the platform cannot read SM2 keys (this Linux/OpenSSL platform can, so call it directly).
        string pem = Encoding.ASCII.GetString(_files["sm2_enc.pem"]);
        Assert.That(PemEncoding.TryFind(pem, out PemFields fields), Is.True);
        byte[] der = Convert.FromBase64String(pem[fields.Base64Data]);
        using KeyMaterial? material = Sm2Pkcs8Normalizer.TryFromEncrypted(der, Password, KeySpec.Sm2);
        Assert.That(material, Is.Not.Null);
        Assert.That(material!.Span.ToArray(), Is.EqualTo(_files["sm2_pkcs8.der"]));
        Assert.That(Sm2Pkcs8Normalizer.TryFromEncrypted(der, "wrong-password", KeySpec.Sm2), Is.Null);
        Assert.That(Sm2Pkcs8Normalizer.TryFromEncrypted(der[..^5], Password, KeySpec.Sm2), Is.Null);
    }

    private byte[] EncryptedDer(string file)
    {
        string pem = Encoding.ASCII.GetString(_files[file]);
        Assert.That(PemEncoding.TryFind(pem, out PemFields fields), Is.True);
        return Convert.FromBase64String(pem[fields.Base64Data]);
    }

    [Test]
    public void TryFromEncrypted_Sm2_Key_For_Another_Spec_Reports_The_Spec_Not_The_Password()
    {
        byte[] der = EncryptedDer("sm2_enc.pem");

        var ex = Assert.Throws<KeyImportValidationException>(() => Sm2Pkcs8Normalizer.TryFromEncrypted(der, Password, KeySpec.EcP256)?.Dispose());

        Assert.That(ex!.Message, Does.Contain("SM2").And.Not.Contain("password"));
    }

    [Test]
    public void EncryptedSm2Pkcs8_Empty_Password_Is_Read_By_The_Fallback_And_By_FromPrivateKey()
    {
        // What 'openssl pkcs8 -topk8 -passout pass:' writes.
        byte[] der = EncryptedDer("sm2_enc_empty.pem");

        using KeyMaterial? fallback = Sm2Pkcs8Normalizer.TryFromEncrypted(der, ReadOnlySpan<char>.Empty, KeySpec.Sm2);
        using KeyMaterial loaded = KeyMaterial.FromPrivateKey(_files["sm2_enc_empty.pem"], default, KeySpec.Sm2);

        Assert.That(fallback, Is.Not.Null);
        Assert.That(fallback!.Span.ToArray(), Is.EqualTo(_files["sm2_pkcs8.der"]));
        Assert.That(loaded.Span.ToArray(), Is.EqualTo(_files["sm2_pkcs8.der"]));
    }

    [Test]
    public void Sm2PrivateKey_Public_Key_For_The_Confirmation_Is_OpenSsls_SubjectPublicKeyInfo()
    {
        using KeyMaterial material = KeyMaterial.FromPrivateKey(_files["sm2_pkcs8.der"], default, KeySpec.Sm2);

        Assert.That(PublicKeyEncoding.SubjectPublicKeyInfoOf(material), Is.EqualTo(_files["sm2_pub.der"]));
    }

    [Test]
    public void Sm2PrivateKey_Under_Ec_Private_Key_Label_Is_Read()
    {
        // Other tools label SEC1 SM2 keys 'EC PRIVATE KEY'; OpenSSL writes 'SM2 PRIVATE KEY'.
        string pem = Encoding.ASCII.GetString(_files["sm2_sec1.pem"]).Replace("SM2 PRIVATE KEY", "EC PRIVATE KEY", StringComparison.Ordinal);
        Assert.That(pem, Does.Contain("BEGIN EC PRIVATE KEY"));
        using KeyMaterial material = KeyMaterial.FromPrivateKeyPem(pem);
        Assert.That(material.Span.ToArray(), Is.EqualTo(_files["sm2_pkcs8.der"]));
    }

    [Test]
    public void Sm2PrivateKey_With_Another_Keys_Public_Point_Is_Refused_As_Inconsistent()
    {
        using KeyMaterial mine = KeyMaterial.FromPrivateKey(_files["sm2.pem"]);
        using KeyMaterial other = KeyMaterial.FromPrivateKey(_files["other_sm2.pem"]);
        byte[] forged = mine.Span.ToArray();
        other.Span[^64..].CopyTo(forged.AsSpan(forged.Length - 64));
        var ex = Assert.Throws<KeyImportValidationException>(() => KeyMaterial.FromPrivateKey(forged));
        Assert.That(ex!.Message, Does.Contain("inconsistent"));
    }

    [Test]
    public void Sm2PrivateKey_For_Another_Spec_Is_Refused_Naming_Both()
    {
        var ex = Assert.Throws<KeyImportValidationException>(() => KeyMaterial.FromPrivateKey(_files["sm2.pem"], expectedKeySpec: KeySpec.EcP256));
        Assert.That(ex!.Message, Does.Contain("SM2").And.Contain("EC_P256"));
    }

    [Test]
    public async Task Sm2PrivateKey_Wrapped_Under_Sm2_Encrypt_OpenSsl_Recovers_A_Temporary_Key_That_Unwraps_It(CancellationToken ct)
    {
        WrappingPublicKey wrappingKey = WrappingPublicKey.Load(_files["wrap_pub.der"]);
        using KeyMaterial material = KeyMaterial.FromPrivateKey(_files["sm2.pem"]);
        WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(material, wrappingKey, WrappingAlgorithm.Sm2Encrypt);

        using OpenSslRunner openssl = OpenSslRunner.Create();
        openssl.WriteFile("wrap_priv.pem", _files["wrap_priv.pem"]);
        openssl.WriteFile("EncryptedKeyMaterial.bin", wrapped.EncryptedKeyMaterial.Span);
        await openssl.RunAsync(ct, "pkeyutl", "-decrypt", "-inkey", "wrap_priv.pem", "-in", "EncryptedKeyMaterial.bin", "-out", "temp.bin");
        byte[] temporaryKey = openssl.ReadFile("temp.bin");
        Assert.That(temporaryKey, Has.Length.EqualTo(16), "a 16-byte SM4 temporary key");

        // The reference unwrap: decrypt the RFC 3394 steps with BouncyCastle SM4 blocks, compare the whole wrap by re-wrapping.
        byte[] expected = SmReference.Wrap(SmReference.Sm4Blocks(temporaryKey), _files["sm2_pkcs8.der"]);
        Assert.That(wrapped.EncryptedPrivateKey!.Value.ToArray(), Is.EqualTo(expected));
        Assert.That(Sm4KeyWrapPad.Unwrap(temporaryKey, wrapped.EncryptedPrivateKey.Value.Span), Is.EqualTo(_files["sm2_pkcs8.der"]));
    }

    [Test]
    public async Task SmReferenceSm4Blocks_Random_Blocks_Match_OpenSsl_Sm4_Ecb(CancellationToken ct)
    {
        byte[] key = RandomNumberGenerator.GetBytes(16);
        byte[] blocks = RandomNumberGenerator.GetBytes(16 * 64);
        using OpenSslRunner openssl = OpenSslRunner.Create();
        openssl.WriteFile("in.bin", blocks);
        await openssl.RunAsync(ct, "enc", "-sm4-ecb", "-nopad", "-K", Convert.ToHexString(key), "-in", "in.bin", "-out", "out.bin");
        byte[] expected = openssl.ReadFile("out.bin");
        Func<byte[], byte[]> sm4 = SmReference.Sm4Blocks(key);
        for (int i = 0; i < 64; i++)
        {
            Assert.That(sm4(blocks[(i * 16)..((i + 1) * 16)]), Is.EqualTo(expected[(i * 16)..((i + 1) * 16)]), $"block {i}");
        }
    }

    [TestCase(1)]
    [TestCase(8)]
    [TestCase(9)]
    [TestCase(16)]
    [TestCase(20)]
    public async Task Sm4KeyWrapPad_Reference_Wrap_Over_OpenSsl_Sm4_Ecb_Blocks_Matches_Both_Ways(int length, CancellationToken ct)
    {
        byte[] key = RandomNumberGenerator.GetBytes(16);
        byte[] plaintext = RandomNumberGenerator.GetBytes(length);
        using OpenSslRunner openssl = OpenSslRunner.Create();
        int calls = 0;

        // Every SM4 block of the reference wrap is one 'openssl enc -sm4-ecb -nopad' run.
        byte[] OpenSslBlock(byte[] block)
        {
            string name = $"b{calls++}";
            openssl.WriteFile(name + ".in", block);
            openssl.RunAsync(ct, "enc", "-sm4-ecb", "-nopad", "-K", Convert.ToHexString(key), "-in", name + ".in", "-out", name + ".out").GetAwaiter().GetResult();
            return openssl.ReadFile(name + ".out");
        }

        byte[] expected = await Task.Run(() => SmReference.Wrap(OpenSslBlock, plaintext), ct);
        Assert.Multiple(() =>
        {
            Assert.That(Sm4KeyWrapPad.Wrap(key, plaintext), Is.EqualTo(expected));
            Assert.That(Sm4KeyWrapPad.Unwrap(key, expected), Is.EqualTo(plaintext));
            Assert.That(calls, Is.EqualTo(length <= 8 ? 1 : 6 * ((length + 7) / 8)));
        });
    }

    [Test]
    public void Sm4KeyWrapPad_Every_Length_Up_To_200_Matches_The_Reference_Over_BouncyCastle_Blocks()
    {
        byte[] key = RandomNumberGenerator.GetBytes(16);
        Func<byte[], byte[]> sm4 = SmReference.Sm4Blocks(key);
        for (int length = 1; length <= 200; length++)
        {
            byte[] plaintext = RandomNumberGenerator.GetBytes(length);
            byte[] expected = SmReference.Wrap(sm4, plaintext);
            Span<byte> destination = new byte[Sm4KeyWrapPad.GetWrappedLength(length) + 3];
            int written = Sm4KeyWrapPad.Wrap(key, plaintext, destination);
            Assert.That(destination[..written].ToArray(), Is.EqualTo(expected), $"length {length}");
            Assert.That(Sm4KeyWrapPad.Unwrap(key, expected), Is.EqualTo(plaintext), $"length {length}");
        }
    }

    [TestCase(1)]
    [TestCase(16)]
    [TestCase(138)]
    public void Sm4KeyWrapPad_Any_Flipped_Bit_Or_Wrong_Key_Is_Refused(int length)
    {
        byte[] key = RandomNumberGenerator.GetBytes(16);
        byte[] wrapped = Sm4KeyWrapPad.Wrap(key, RandomNumberGenerator.GetBytes(length));
        for (int bit = 0; bit < wrapped.Length * 8; bit += 7)
        {
            byte[] tampered = (byte[])wrapped.Clone();
            tampered[bit / 8] ^= (byte)(1 << (bit % 8));
            Assert.Throws<CryptographicException>(() => Sm4KeyWrapPad.Unwrap(key, tampered), $"bit {bit}");
        }

        byte[] wrongKey = (byte[])key.Clone();
        wrongKey[0] ^= 1;
        Assert.Throws<CryptographicException>(() => Sm4KeyWrapPad.Unwrap(wrongKey, wrapped));
    }

    [TestCase(0xA6A6A6A6u, 16u, 16, TestName = "RFC 3394 ICV instead of A65959A6")]
    [TestCase(0xA65959A7u, 16u, 16, TestName = "wrong ICV by one bit")]
    [TestCase(0xA65959A6u, 8u, 16, TestName = "MLI too small for n (8(n-1))")]
    [TestCase(0xA65959A6u, 17u, 16, TestName = "MLI larger than 8n")]
    [TestCase(0xA65959A6u, 0u, 8, TestName = "MLI zero, single block")]
    [TestCase(0xA65959A6u, 9u, 8, TestName = "MLI above 8, single block")]
    public void Sm4KeyWrapPad_Forged_Integrity_Value_Is_Refused(uint magic, uint mli, int paddedLength)
    {
        byte[] key = RandomNumberGenerator.GetBytes(16);
        byte[] padded = RandomNumberGenerator.GetBytes(paddedLength);
        byte[] forged = SmReference.Wrap(SmReference.Sm4Blocks(key), ((ulong)magic << 32) | mli, padded);
        Assert.Throws<CryptographicException>(() => Sm4KeyWrapPad.Unwrap(key, forged));
    }

    [TestCase(13, 0x01, TestName = "non-zero padding byte, two blocks")]
    [TestCase(5, 0x80, TestName = "non-zero padding byte, single block")]
    public void Sm4KeyWrapPad_Non_Zero_Padding_Is_Refused(int length, byte paddingByte)
    {
        byte[] key = RandomNumberGenerator.GetBytes(16);
        byte[] padded = new byte[(length + 7) / 8 * 8];
        RandomNumberGenerator.Fill(padded.AsSpan(0, length));
        padded[^1] = paddingByte;
        byte[] forged = SmReference.Wrap(SmReference.Sm4Blocks(key), ((ulong)SmReference.AlternativeIv << 32) | (uint)length, padded);
        Assert.Throws<CryptographicException>(() => Sm4KeyWrapPad.Unwrap(key, forged));

        // The same message with zero padding unwraps: the refusal above is the padding alone.
        padded[^1] = 0;
        byte[] valid = SmReference.Wrap(SmReference.Sm4Blocks(key), ((ulong)SmReference.AlternativeIv << 32) | (uint)length, padded);
        Assert.That(Sm4KeyWrapPad.Unwrap(key, valid), Is.EqualTo(padded[..length]));
    }

    [TestCase(0)]
    [TestCase(8)]
    [TestCase(15)]
    [TestCase(17)]
    [TestCase(23)]
    public void Sm4KeyWrapPad_Wrong_WrappedLength_Is_Refused_With_ArgumentException(int length)
    {
        var ex = Assert.Throws<ArgumentException>(() => Sm4KeyWrapPad.Unwrap(new byte[16], new byte[length]));
        Assert.That(ex!.Message, Does.Contain("multiple of 8"));
    }

    [TestCase(0)]
    [TestCase(15)]
    [TestCase(24)]
    [TestCase(32)]
    public void Sm4KeyWrapPad_Wrong_Key_Length_Is_Refused(int keyLength)
    {
        var ex = Assert.Throws<ArgumentException>(() => Sm4KeyWrapPad.Wrap(new byte[keyLength], new byte[8]));
        Assert.That(ex!.Message, Does.Contain("16 bytes"));
        Assert.Throws<ArgumentException>(() => Sm4KeyWrapPad.Unwrap(new byte[keyLength], new byte[16]));
    }

    [Test]
    public void Sm2WrappingKey_Der_Pem_Or_Base_64_Loads_And_Refuses_Rsa_Algorithms()
    {
        WrappingPublicKey fromDer = WrappingPublicKey.Load(_files["wrap_pub.der"]);
        WrappingPublicKey fromPem = WrappingPublicKey.Load(_files["wrap_pub.pem"]);
        WrappingPublicKey fromBase64 = WrappingPublicKey.FromBase64(Convert.ToBase64String(_files["wrap_pub.der"]));
        Assert.Multiple(() =>
        {
            Assert.That(fromPem.SubjectPublicKeyInfo.ToArray(), Is.EqualTo(_files["wrap_pub.der"]));
            Assert.That(fromBase64.IsSm2 && fromDer.IsSm2, Is.True);
            Assert.That(fromDer.ToString(), Does.Contain("SM2"));
            Assert.That(fromDer.KeySizeInBits, Is.EqualTo(256));
        });

        using KeyMaterial sm4 = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(16), KeySpec.Sm4);
        var ex = Assert.Throws<KeyImportValidationException>(() => KeyMaterialWrapper.Shared.Wrap(sm4, fromDer, WrappingAlgorithm.RsaesOaepSha256));
        Assert.That(ex!.Message, Does.Contain("SM2 key").And.Contain("RSAES_OAEP_SHA_256"));
    }

    [Test]
    public void RsaWrappingKey_With_Sm2_Encrypt_Is_Refused_Naming_The_Mismatch()
    {
        using RSA rsa = RSA.Create(2048);
        WrappingPublicKey key = WrappingPublicKey.FromSubjectPublicKeyInfo(rsa.ExportSubjectPublicKeyInfo());
        using KeyMaterial sm4 = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(16), KeySpec.Sm4);
        var ex = Assert.Throws<KeyImportValidationException>(() => KeyMaterialWrapper.Shared.Wrap(sm4, key, WrappingAlgorithm.Sm2Encrypt));
        Assert.That(ex!.Message, Does.Contain("SM2_ENCRYPT needs an SM2 wrapping key").And.Contain("RSA-2048"));
    }

    [Test]
    public void Sm2WrappingKey_Point_Off_The_Curve_Is_Refused()
    {
        byte[] spki = (byte[])_files["wrap_pub.der"].Clone();
        spki[^1] ^= 0x01;
        var ex = Assert.Throws<KeyImportValidationException>(() => WrappingPublicKey.Load(spki));
        Assert.That(ex!.Message, Does.Contain("not a valid point on the SM2 curve"));
    }

    [TestCase(15)]
    [TestCase(17)]
    [TestCase(32)]
    public void Sm4Material_Of_Wrong_Length_Is_Refused(int length)
    {
        var ex = Assert.Throws<KeyImportValidationException>(() => KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(length), KeySpec.Sm4));
        Assert.That(ex!.Message, Does.Contain("SM4 material must be 16 bytes"));
    }

    // GM/T 0009: SEQUENCE { x INTEGER, y INTEGER, hash OCTET STRING (32), ciphertext OCTET STRING }, canonical DER.
    private static void AssertCanonicalSm2Der(byte[] der, int plaintextLength)
    {
        var reader = new AsnReader(der, AsnEncodingRules.DER);
        AsnReader sequence = reader.ReadSequence();
        reader.ThrowIfNotEmpty();
        ReadOnlyMemory<byte> x = sequence.ReadIntegerBytes();
        ReadOnlyMemory<byte> y = sequence.ReadIntegerBytes();
        byte[] hash = sequence.ReadOctetString();
        byte[] ciphertext = sequence.ReadOctetString();
        sequence.ThrowIfNotEmpty();
        Assert.Multiple(() =>
        {
            Assert.That(x.Span[0] & 0x80, Is.Zero, "x is a non-negative INTEGER");
            Assert.That(y.Span[0] & 0x80, Is.Zero, "y is a non-negative INTEGER");
            Assert.That(x.Length, Is.LessThanOrEqualTo(33));
            Assert.That(y.Length, Is.LessThanOrEqualTo(33));
            Assert.That(hash, Has.Length.EqualTo(32));
            Assert.That(ciphertext, Has.Length.EqualTo(plaintextLength));
        });
    }
}
