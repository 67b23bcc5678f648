using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Tests.Cryptography;

// Seeded mutation fuzzing of every loader: whatever the input, only KeyImportValidationException escapes.
// Short in CI; the long run (>= 100,000 inputs):
//   KMSIMPORT_FUZZ_ITERATIONS=100000 dotnet test tests/KmsImport.Sdk.Tests --filter FullyQualifiedName~KeyLoaderFuzzTests
// Reproduce a failure with KMSIMPORT_FUZZ_SEED=<seed printed in the failure>.
[CancelAfter(1_800_000)]
public class KeyLoaderFuzzTests
{
    private const int DefaultIterations = 3000;
    private const int DefaultSeed = 20261129;
    private const string Password = "fuzz";

    [Test]
    public void KeyLoaders_Mutated_Input_Throw_Only_KeyImportValidationException()
    {
        int iterations = ReadEnvironment("KMSIMPORT_FUZZ_ITERATIONS", DefaultIterations);
        int seed = ReadEnvironment("KMSIMPORT_FUZZ_SEED", DefaultSeed);
        CancellationToken ct = TestContext.CurrentContext.CancellationToken;
        byte[][] corpus = BuildCorpus();
        var random = new Random(seed);
        var failures = new List<string>();
        int accepted = 0;
        int refused = 0;

        for (int i = 0; i < iterations && failures.Count < 5; i++)
        {
            ct.ThrowIfCancellationRequested();
            byte[] input = Mutate(random, corpus);
            string password = random.Next(3) == 0 ? string.Empty : Password;
            int target = random.Next(4);
            try
            {
                switch (target)
                {
                    case 0:
                        KeyMaterial.FromPrivateKey(input, password).Dispose();
                        break;
                    case 1:
                        KeyMaterial.FromPrivateKeyPem(Encoding.Latin1.GetString(input), password, KeySpec.Rsa2048).Dispose();
                        break;
                    case 2:
                        _ = WrappingPublicKey.Load(input);
                        break;
                    default:
                        _ = WrappingPublicKey.FromPem(Encoding.Latin1.GetString(input));
                        break;
                }

                accepted++;
            }
            catch (KeyImportValidationException ex)
            {
                refused++;
                if (string.IsNullOrWhiteSpace(ex.Message) || ex.Message.Contains(Password, StringComparison.Ordinal))
                {
                    failures.Add($"iteration {i} (target {target}): empty message or the password in it: {ex.Message}");
                }
            }
#pragma warning disable CA1031 // The point of the test: any other exception is a finding.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                failures.Add($"iteration {i} (target {target}, {input.Length} bytes {Convert.ToHexString(input.AsSpan(0, Math.Min(input.Length, 48)))}...): {ex.GetType().Name}: {ex.Message}");
            }
        }

        TestContext.Out.WriteLine($"seed {seed}: {iterations} inputs, {accepted} accepted, {refused} refused with KeyImportValidationException");
        Assert.Multiple(() =>
        {
            Assert.That(failures, Is.Empty, $"seed {seed}");
            Assert.That(refused, Is.GreaterThan(iterations / 2), "the mutations reach the error paths");
            Assert.That(accepted, Is.GreaterThan(0), "some unmutated or harmlessly mutated inputs still load");
        });
    }

    private static byte[][] BuildCorpus()
    {
        var pbe = new PbeParameters(PbeEncryptionAlgorithm.Aes128Cbc, HashAlgorithmName.SHA256, 1);
        var corpus = new List<byte[]>();
        foreach (AsymmetricAlgorithm key in new AsymmetricAlgorithm[] { TestKeys.Rsa2048, TestKeys.P256, TestKeys.P384, TestKeys.Rsa1024, TestKeys.P521 })
        {
            corpus.Add(key.ExportPkcs8PrivateKey());
            corpus.Add(Encoding.ASCII.GetBytes(key.ExportPkcs8PrivateKeyPem()));
            corpus.Add(key.ExportEncryptedPkcs8PrivateKey(Password, pbe));
            corpus.Add(Encoding.ASCII.GetBytes(key.ExportEncryptedPkcs8PrivateKeyPem(Password, pbe)));
            corpus.Add(key.ExportSubjectPublicKeyInfo());
            corpus.Add(Encoding.ASCII.GetBytes(key.ExportSubjectPublicKeyInfoPem()));
            corpus.Add(Encoding.ASCII.GetBytes(Convert.ToBase64String(key.ExportSubjectPublicKeyInfo())));
            if (key is RSA rsa)
            {
                corpus.Add(rsa.ExportRSAPrivateKey());
                corpus.Add(Encoding.ASCII.GetBytes(rsa.ExportRSAPrivateKeyPem()));
                corpus.Add(Encoding.ASCII.GetBytes(rsa.ExportRSAPublicKeyPem()));
            }
            else if (key is ECDsa ecdsa)
            {
                corpus.Add(ecdsa.ExportECPrivateKey());
                corpus.Add(Encoding.ASCII.GetBytes(ecdsa.ExportECPrivateKeyPem()));
            }
        }

        return [.. corpus];
    }

    private static byte[] Mutate(Random random, byte[][] corpus)
    {
        byte[] seed = corpus[random.Next(corpus.Length)];
        switch (random.Next(9))
        {
            case 0:
                return random.Next(4) == 0 ? seed : FlipBits(random, seed, 1);
            case 1:
                return FlipBits(random, seed, 1 + random.Next(8));
            case 2:
                return seed[..random.Next(seed.Length + 1)];
            case 3:
            {
                byte[] junk = new byte[1 + random.Next(16)];
                random.NextBytes(junk);
                return [.. seed, .. junk];
            }

            case 4:
            {
                int start = random.Next(seed.Length);
                int length = random.Next(seed.Length - start + 1);
                return [.. seed.AsSpan(0, start), .. seed.AsSpan(start + length)];
            }

            case 5:
            {
                byte[] other = corpus[random.Next(corpus.Length)];
                int cut = random.Next(seed.Length + 1);
                return [.. seed.AsSpan(0, cut), .. other.AsSpan(random.Next(other.Length + 1))];
            }

            case 6:
            {
                // Rewrite one DER length or tag byte near the start, where structure lives.
                byte[] copy = (byte[])seed.Clone();
                copy[random.Next(Math.Min(copy.Length, 40))] = (byte)random.Next(256);
                return copy;
            }

            case 7:
            {
                byte[] bytes = new byte[random.Next(600)];
                random.NextBytes(bytes);
                if (bytes.Length > 0 && random.Next(2) == 0)
                {
                    bytes[0] = 0x30;
                }

                return bytes;
            }

            default:
            {
                // Text-level edits of PEM: drop a line, swap characters, change the label.
                string text = Encoding.Latin1.GetString(seed);
                string[] lines = text.Split('\n');
                int line = random.Next(lines.Length);
                lines[line] = random.Next(3) switch
                {
                    0 => string.Empty,
                    1 => lines[line].Replace("PRIVATE", "PUBLIC", StringComparison.Ordinal).Replace("KEY", "KEYS", StringComparison.Ordinal),
                    _ => new string(lines[line].Reverse().ToArray()),
                };
                return Encoding.Latin1.GetBytes(string.Join('\n', lines));
            }
        }
    }

    private static byte[] FlipBits(Random random, byte[] seed, int count)
    {
        byte[] copy = (byte[])seed.Clone();
        for (int i = 0; i < count && copy.Length > 0; i++)
        {
            copy[random.Next(copy.Length)] ^= (byte)(1 << random.Next(8));
        }

        return copy;
    }

    private static int ReadEnvironment(string name, int fallback) =>
        int.TryParse(Environment.GetEnvironmentVariable(name), NumberStyles.Integer, CultureInfo.InvariantCulture, out int value) && value > 0 ? value : fallback;
}
