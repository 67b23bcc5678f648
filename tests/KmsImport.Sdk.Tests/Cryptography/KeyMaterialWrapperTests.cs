using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Tests.Cryptography;

// Round trips: wrap with the SDK, unwrap with the wrapping private key as the service does.
[CancelAfter(120_000)]
public class KeyMaterialWrapperTests
{
    private static readonly KeyMaterialWrapper s_legacyAllowed = new(allowLegacyWrappingAlgorithms: true);

    [TestCase("RSAES_PKCS1_V1_5")]
    [TestCase("RSAES_OAEP_SHA_1")]
    public void Wrap_Legacy_Algorithm_Without_Opt_In_Is_Refused(string algorithm)
    {
        WrappingPublicKey wrappingKey = WrappingPublicKey.Load(TestKeys.Rsa2048.ExportSubjectPublicKeyInfo());
        using KeyMaterial symmetric = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);

        Assert.Multiple(() =>
        {
            Assert.That(() => KeyMaterialWrapper.Shared.Wrap(symmetric, wrappingKey, new WrappingAlgorithm(algorithm)),
                Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("legacy").And.Message.Contains("allowLegacyWrappingAlgorithms"));
            Assert.That(() => new KeyMaterialWrapper().Wrap(symmetric, wrappingKey, new WrappingAlgorithm(algorithm)),
                Throws.TypeOf<KeyImportValidationException>());
            Assert.That(s_legacyAllowed.Wrap(symmetric, wrappingKey, new WrappingAlgorithm(algorithm)).EncryptedKeyMaterial.Length, Is.EqualTo(256));
        });
    }

    public static IEnumerable<TestCaseData> SymmetricCases() =>
        from bits in new[] { 2048, 3072, 4096 }
        from spec in new[] { ("AES_256", 32), ("HMAC_256", 32), ("HMAC_384", 48), ("HMAC_512", 64) }
        from algorithm in new[] { "RSAES_OAEP_SHA_256", "RSAES_OAEP_SHA_1" }
        select new TestCaseData(bits, spec.Item1, spec.Item2, algorithm);

    public static IEnumerable<TestCaseData> AsymmetricCases() =>
        from bits in new[] { 2048, 3072, 4096 }
        from key in new[] { "RSA-2048", "RSA-3072", "RSA-4096", "P-256", "P-384" }
        select new TestCaseData(bits, key);

    [TestCaseSource(nameof(SymmetricCases))]
    public void Wrap_Symmetric_Material_Is_Rsa_Oaep_Of_The_Material(int wrappingBits, string spec, int length, string algorithm)
    {
        RSA wrappingPrivateKey = TestKeys.Rsa(wrappingBits);
        WrappingPublicKey wrappingKey = WrappingPublicKey.FromSubjectPublicKeyInfo(wrappingPrivateKey.ExportSubjectPublicKeyInfo());
        byte[] plaintext = RandomNumberGenerator.GetBytes(length);
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(plaintext, new KeySpec(spec));
        var wrappingAlgorithm = new WrappingAlgorithm(algorithm);

        WrappedKeyMaterial wrapped = s_legacyAllowed.Wrap(material, wrappingKey, wrappingAlgorithm);

        Assert.Multiple(() =>
        {
            Assert.That(wrapped.EncryptedKeyMaterial.Length, Is.EqualTo(wrappingBits / 8));
            Assert.That(wrappingPrivateKey.Decrypt(wrapped.EncryptedKeyMaterial.ToArray(), wrappingAlgorithm.Padding), Is.EqualTo(plaintext));
            Assert.That(Convert.FromBase64String(wrapped.EncryptedKeyMaterialBase64), Is.EqualTo(wrapped.EncryptedKeyMaterial.ToArray()));
            Assert.That(wrapped.EncryptedPrivateKey, Is.Null);
            Assert.That(wrapped.EncryptedPrivateKeyBase64, Is.Null);
        });
    }

    [TestCaseSource(nameof(AsymmetricCases))]
    public void Wrap_Private_Key_Is_Kwp_Wrapped_Under_An_Rsa_Oaep_Temporary_Key(int wrappingBits, string keyName)
    {
        RSA wrappingPrivateKey = TestKeys.Rsa(wrappingBits);
        WrappingPublicKey wrappingKey = WrappingPublicKey.Load(wrappingPrivateKey.ExportSubjectPublicKeyInfo());
        AsymmetricAlgorithm key = keyName switch
        {
            "RSA-2048" => TestKeys.Rsa2048,
            "RSA-3072" => TestKeys.Rsa3072,
            "RSA-4096" => TestKeys.Rsa4096,
            "P-256" => TestKeys.P256,
            _ => TestKeys.P384,
        };
        byte[] pkcs8 = key.ExportPkcs8PrivateKey();
        using KeyMaterial material = KeyMaterial.FromPrivateKey(pkcs8);

        WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(material, wrappingKey, WrappingAlgorithm.RsaesOaepSha256);

        byte[] temporaryKey = wrappingPrivateKey.Decrypt(wrapped.EncryptedKeyMaterial.ToArray(), RSAEncryptionPadding.OaepSHA256);
        Assert.That(wrapped.EncryptedPrivateKey, Is.Not.Null);
        byte[] encryptedPrivateKey = wrapped.EncryptedPrivateKey!.Value.ToArray();
        Assert.Multiple(() =>
        {
            Assert.That(temporaryKey, Has.Length.EqualTo(32));
            Assert.That(encryptedPrivateKey, Has.Length.EqualTo(AesKeyWrapPad.GetWrappedLength(pkcs8.Length)));
            Assert.That(AesKeyWrapPad.Unwrap(temporaryKey, encryptedPrivateKey), Is.EqualTo(pkcs8));
            Assert.That(Convert.FromBase64String(wrapped.EncryptedPrivateKeyBase64!), Is.EqualTo(encryptedPrivateKey));
        });
    }

    [Test]
    public void Wrap_Every_Call_Uses_A_Fresh_Temporary_Key()
    {
        WrappingPublicKey wrappingKey = WrappingPublicKey.Load(TestKeys.Rsa2048.ExportSubjectPublicKeyInfo());
        using KeyMaterial material = KeyMaterial.FromECDsa(TestKeys.P256);
        var temporaryKeys = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < 20; i++)
        {
            WrappedKeyMaterial wrapped = KeyMaterialWrapper.Shared.Wrap(material, wrappingKey, WrappingAlgorithm.RsaesOaepSha256);
            temporaryKeys.Add(Convert.ToHexString(TestKeys.Rsa2048.Decrypt(wrapped.EncryptedKeyMaterial.ToArray(), RSAEncryptionPadding.OaepSHA256)));
        }

        Assert.That(temporaryKeys, Has.Count.EqualTo(20));
    }

    [Test]
    public void Wrap_Concurrent_Calls_With_One_WrappingKey_All_Decrypt()
    {
        WrappingPublicKey wrappingKey = WrappingPublicKey.Load(TestKeys.Rsa2048.ExportSubjectPublicKeyInfo());
        byte[][] plaintexts = Enumerable.Range(0, 200).Select(_ => RandomNumberGenerator.GetBytes(32)).ToArray();
        var wrapped = new WrappedKeyMaterial[plaintexts.Length];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));

        Parallel.For(0, plaintexts.Length, new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = timeout.Token }, i =>
        {
            using KeyMaterial material = KeyMaterial.FromSymmetricKey(plaintexts[i], KeySpec.Aes256);
            wrapped[i] = KeyMaterialWrapper.Shared.Wrap(material, wrappingKey, WrappingAlgorithm.RsaesOaepSha256);
        });

        for (int i = 0; i < plaintexts.Length; i++)
        {
            Assert.That(TestKeys.Rsa2048.Decrypt(wrapped[i].EncryptedKeyMaterial.ToArray(), RSAEncryptionPadding.OaepSHA256), Is.EqualTo(plaintexts[i]), $"wrap {i}");
        }
    }

    [TestCase("SM2_ENCRYPT", "needs an SM2 wrapping key")]
    [TestCase("RSAES_OAEP_SHA_384", "unknown to this SDK")]
    public void Wrap_Refused_Algorithm_Says_Why(string algorithm, string reason)
    {
        WrappingPublicKey wrappingKey = WrappingPublicKey.Load(TestKeys.Rsa2048.ExportSubjectPublicKeyInfo());
        using KeyMaterial symmetric = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        using KeyMaterial asymmetric = KeyMaterial.FromECDsa(TestKeys.P256);
        Assert.Multiple(() =>
        {
            Assert.That(() => KeyMaterialWrapper.Shared.Wrap(symmetric, wrappingKey, new WrappingAlgorithm(algorithm)),
                Throws.TypeOf<KeyImportValidationException>().With.Message.Contains(algorithm).And.Message.Contains(reason).And.Message.Contains("RSAES_OAEP_SHA_256"));
            Assert.That(() => KeyMaterialWrapper.Shared.Wrap(asymmetric, wrappingKey, new WrappingAlgorithm(algorithm)),
                Throws.TypeOf<KeyImportValidationException>().With.Message.Contains(reason));
        });
    }

    [Test]
    public void Wrap_Pkcs1_V15_Wraps_Symmetric_Material_But_Never_A_Private_Key()
    {
        WrappingPublicKey wrappingKey = WrappingPublicKey.Load(TestKeys.Rsa2048.ExportSubjectPublicKeyInfo());
        byte[] aes = RandomNumberGenerator.GetBytes(32);
        using KeyMaterial symmetric = KeyMaterial.FromSymmetricKey(aes, KeySpec.Aes256);
        using KeyMaterial asymmetric = KeyMaterial.FromECDsa(TestKeys.P256);
        WrappedKeyMaterial wrapped = s_legacyAllowed.Wrap(symmetric, wrappingKey, WrappingAlgorithm.RsaesPkcs1V15);
        Assert.Multiple(() =>
        {
            Assert.That(TestKeys.Rsa2048.Decrypt(wrapped.EncryptedKeyMaterial.ToArray(), RSAEncryptionPadding.Pkcs1), Is.EqualTo(aes));
            Assert.That(wrappingKey.MaxPayloadLength(WrappingAlgorithm.RsaesPkcs1V15), Is.EqualTo(256 - 11));
            Assert.That(() => s_legacyAllowed.Wrap(asymmetric, wrappingKey, WrappingAlgorithm.RsaesPkcs1V15),
                Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("never wrapped with RSAES_PKCS1_V1_5").And.Message.Contains("padding-oracle"));
        });
    }

    [Test]
    public void Wrap_Default_Algorithm_Or_Bad_Arguments_Are_Refused()
    {
        WrappingPublicKey wrappingKey = WrappingPublicKey.Load(TestKeys.Rsa2048.ExportSubjectPublicKeyInfo());
        var disposed = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        disposed.Dispose();
        using KeyMaterial material = KeyMaterial.FromSymmetricKey(RandomNumberGenerator.GetBytes(32), KeySpec.Aes256);
        Assert.Multiple(() =>
        {
            Assert.That(() => KeyMaterialWrapper.Shared.Wrap(material, wrappingKey, default), Throws.TypeOf<KeyImportValidationException>().With.Message.Contains("unknown"));
            Assert.That(() => KeyMaterialWrapper.Shared.Wrap(null!, wrappingKey, WrappingAlgorithm.RsaesOaepSha256), Throws.ArgumentNullException);
            Assert.That(() => KeyMaterialWrapper.Shared.Wrap(material, null!, WrappingAlgorithm.RsaesOaepSha256), Throws.ArgumentNullException);
            Assert.That(() => KeyMaterialWrapper.Shared.Wrap(disposed, wrappingKey, WrappingAlgorithm.RsaesOaepSha256), Throws.TypeOf<ObjectDisposedException>());
        });
    }

    [TestCase("RSAES_OAEP_SHA_256", 190)]
    [TestCase("RSAES_OAEP_SHA_1", 214)]
    public void Wrap_Material_Over_The_Oaep_Limit_Is_Refused_With_The_Limit_In_The_Message(string algorithm, int limit)
    {
        // No importable spec is this long today; build the material through the unchecked constructor to reach the check.
        WrappingPublicKey wrappingKey = WrappingPublicKey.Load(TestKeys.Rsa2048.ExportSubjectPublicKeyInfo());
        using KeyMaterial fits = CreateUnchecked(limit);
        using KeyMaterial tooLong = CreateUnchecked(limit + 1);
        var wrappingAlgorithm = new WrappingAlgorithm(algorithm);

        Assert.Multiple(() =>
        {
            Assert.That(s_legacyAllowed.Wrap(fits, wrappingKey, wrappingAlgorithm).EncryptedKeyMaterial.Length, Is.EqualTo(256));
            Assert.That(() => s_legacyAllowed.Wrap(tooLong, wrappingKey, wrappingAlgorithm),
                Throws.TypeOf<KeyImportValidationException>().With.Message.Contains($"{limit + 1} bytes does not fit").And.Message.Contains($"at most {limit} bytes"));
        });
    }

    [Test]
    public void MaxPayloadLength_Smallest_WrappingKey_Fits_The_Largest_Symmetric_Material()
    {
        // HMAC_512 (64 bytes) is the largest importable symmetric material; the OAEP limit check can only trip for future specs.
        WrappingPublicKey wrappingKey = WrappingPublicKey.Load(TestKeys.Rsa2048.ExportSubjectPublicKeyInfo());
        Assert.That(wrappingKey.MaxPayloadLength(WrappingAlgorithm.RsaesOaepSha256), Is.GreaterThan(64));
    }

    // The loaders' unchecked constructor: no importable spec is this long.
    private static KeyMaterial CreateUnchecked(int length) =>
        new(KeySpec.Aes256, isPrivateKey: false, RandomNumberGenerator.GetBytes(length), length);
}
