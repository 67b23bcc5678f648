using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;

namespace KmsImport.Sdk.Reliability.Tests.Fuzzing;

/// <summary>
/// Seeded fuzzing of the key loaders with mutated PEM and DER (PKCS#8, encrypted PKCS#8, PKCS#1,
/// SEC1, SPKI) and random bytes: each input loads or is refused with
/// <see cref="KeyImportValidationException"/>, nothing else.
/// </summary>
public sealed class KeyLoaderFuzzTests : ReliabilityTest
{
    [Test]
    [CancelAfter(ReliabilitySettings.LongTestTimeoutMilliseconds)]
    public void Private_Key_Loader_Throws_Only_KeyImportValidationException()
    {
        byte[][] seeds = PrivateKeySeeds();
        Run("private-key loader", seeds, (input, random) =>
        {
            ReadOnlySpan<char> password = random.Next(3) == 0 ? "fuzz-password" : default;
            KeySpec? expected = random.Next(4) == 0 ? (KeySpec?)KeySpec.Rsa2048 : null;
            using KeyMaterial material = KeyMaterial.FromPrivateKey(input, password, expected);
            Assert.That(material.IsPrivateKey && material.KeySpec.IsImportable && material.Length > 0, Is.True, "a loaded key is an importable private key");
        });
    }

    [Test]
    [CancelAfter(ReliabilitySettings.LongTestTimeoutMilliseconds)]
    public void Wrapping_Key_Loader_Throws_Only_KeyImportValidationException()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        byte[] spki = rsa.ExportSubjectPublicKeyInfo();
        byte[][] seeds =
        [
            spki,
            Encoding.ASCII.GetBytes(Convert.ToBase64String(spki)),
            Encoding.ASCII.GetBytes(rsa.ExportSubjectPublicKeyInfoPem()),
            Encoding.ASCII.GetBytes(rsa.ExportRSAPublicKeyPem()),
            ec.ExportSubjectPublicKeyInfo(),
        ];
        Run("wrapping-key loader", seeds, (input, _) =>
        {
            WrappingPublicKey key = WrappingPublicKey.Load(input);
            Assert.That(key.KeySizeInBits, Is.GreaterThanOrEqualTo(2048));
        });
    }

    [Test]
    [CancelAfter(ReliabilitySettings.LongTestTimeoutMilliseconds)]
    public void Symmetric_Loader_Throws_Only_KeyImportValidationException()
    {
        KeySpec[] specs = [KeySpec.Aes256, KeySpec.Hmac256, KeySpec.Hmac384, KeySpec.Hmac512, KeySpec.Sm4, KeySpec.Rsa2048, new KeySpec("FUZZ_1")];
        Run("symmetric loader", [new byte[32], new byte[48], new byte[64]], (input, random) =>
        {
            KeySpec spec = specs[random.Next(specs.Length)];
            using KeyMaterial material = KeyMaterial.FromSymmetricKey(input, spec);
            Assert.That(material.Length, Is.EqualTo(spec.SymmetricMaterialLength));
        });
    }

    private static void Run(string name, byte[][] seeds, Action<byte[], Random> load)
    {
        int iterations = ReliabilitySettings.FuzzIterations;
        int seed = ReliabilitySettings.FuzzSeed;
        var random = new Random(seed);
        var mutator = new Mutator(random);
        var findings = new List<string>();
        int loaded = 0;
        int refused = 0;
        CancellationToken testToken = TestContext.CurrentContext.CancellationToken;
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < iterations && findings.Count < 10; i++)
        {
            testToken.ThrowIfCancellationRequested();
            byte[] input = random.Next(20) == 0 ? mutator.RandomBytes(random.Next(0, 2048)) : mutator.Mutate(seeds[random.Next(seeds.Length)]);
            try
            {
                load(input, random);
                loaded++;
            }
            catch (KeyImportValidationException ex)
            {
                refused++;
                if (i % 101 == 0)
                {
                    SecretAudit.Texts.AddException(ex);
                }
            }
            catch (Exception ex)
            {
                findings.Add($"iteration {i} (seed {seed}): {ex.GetType().FullName}: {ex.Message}");
            }
        }

        stopwatch.Stop();
        Figures.Record($"{name} fuzz inputs", $"{iterations} (seed {seed}): {loaded} loaded, {refused} refused with KeyImportValidationException, {findings.Count} other, in {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.That(findings, Is.Empty, "only KeyImportValidationException is documented");
    }

    private static byte[][] PrivateKeySeeds()
    {
        using var rsa = RSA.Create(2048);
        using var ec = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        TestKeys.Register(rsa);
        SecretAudit.Secrets.Add(ec.ExportPkcs8PrivateKey());
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1);
        return
        [
            rsa.ExportPkcs8PrivateKey(),
            rsa.ExportRSAPrivateKey(),
            Encoding.ASCII.GetBytes(rsa.ExportPkcs8PrivateKeyPem()),
            Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem()),
            rsa.ExportEncryptedPkcs8PrivateKey("fuzz-password", pbe),
            Encoding.ASCII.GetBytes(rsa.ExportEncryptedPkcs8PrivateKeyPem("fuzz-password", pbe)),
            ec.ExportPkcs8PrivateKey(),
            ec.ExportECPrivateKey(),
            Encoding.ASCII.GetBytes(ec.ExportECPrivateKeyPem()),
            Encoding.ASCII.GetBytes(ec.ExportSubjectPublicKeyInfoPem()),
        ];
    }
}
