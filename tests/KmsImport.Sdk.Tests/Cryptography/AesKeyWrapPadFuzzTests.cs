using System.Globalization;
using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Tests.Cryptography;

// Seeded random inputs to Unwrap/TryUnwrap: random bytes, truncated, extended and mutated wraps,
// odd key sizes. The only acceptable outcomes are the plaintext (for an untouched wrap),
// CryptographicException or ArgumentException. Short by default; for a long run:
//   KMSIMPORT_FUZZ_ITERATIONS=100000 dotnet test tests/KmsImport.Sdk.Tests -c Release --filter "FullyQualifiedName~AesKeyWrapPadFuzzTests"
public class AesKeyWrapPadFuzzTests
{
    private const int DefaultIterations = 3_000;
    private const int Seed = 20_260_129;

    private static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("KMSIMPORT_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out int value) && value > 0
            ? value
            : DefaultIterations;

    [Test]
    [CancelAfter(3_600_000)]
    public void Unwrap_Random_Or_Mangled_Input_Fails_Only_With_The_Documented_Exceptions(CancellationToken cancellationToken)
    {
        int iterations = Iterations;

        // Bounded by the iteration count (about 5 ms each at worst on the fallback engine).
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60 + iterations / 100));

        var random = new Random(Seed);
        var outcomes = new Dictionary<string, int>();
        for (int i = 0; i < iterations; i++)
        {
            deadline.Token.ThrowIfCancellationRequested();
            AesKeyWrapPad.Engine engine = i % 4 == 0 ? AesKeyWrapPad.Engine.Platform : AesKeyWrapPad.Engine.Auto;
            (byte[] kek, byte[] input, byte[]? expected, string kind) = NextCase(random);
            string outcome = Run(kek, input, expected, engine, random, $"iteration {i} ({kind}, seed {Seed})");
            outcomes[outcome] = outcomes.GetValueOrDefault(outcome) + 1;
        }

        TestContext.Out.WriteLine($"{iterations} inputs: " + string.Join(", ", outcomes.OrderBy(o => o.Key).Select(o => $"{o.Key}={o.Value}")));
        Assert.Multiple(() =>
        {
            // The generator reaches every outcome, so the loop is not vacuous.
            Assert.That(outcomes.GetValueOrDefault("unwrapped"), Is.GreaterThan(0));
            Assert.That(outcomes.GetValueOrDefault(nameof(CryptographicException)), Is.GreaterThan(0));
            Assert.That(outcomes.GetValueOrDefault(nameof(ArgumentException)), Is.GreaterThan(0));
        });
    }

    private static string Run(byte[] kek, byte[] input, byte[]? expected, AesKeyWrapPad.Engine engine, Random random, string where)
    {
        try
        {
            byte[] plaintext;
            if (random.Next(2) == 0)
            {
                plaintext = AesKeyWrapPad.Unwrap(kek, input, engine);
            }
            else
            {
                byte[] destination = new byte[random.Next(input.Length + 8)];
                if (!AesKeyWrapPad.TryUnwrap(kek, input, destination, out int written, engine))
                {
                    Assert.That(destination, Is.All.Zero, $"{where}: a too-small destination kept plaintext");
                    return "too small";
                }

                plaintext = destination[..written];
            }

            // Only an untouched wrap may unwrap; anything else would be a forgery.
            Assert.That(expected, Is.Not.Null, $"{where}: a mangled input unwrapped");
            Assert.That(plaintext, Is.EqualTo(expected), where);
            return "unwrapped";
        }
        catch (CryptographicException)
        {
            Assert.That(expected, Is.Null, $"{where}: an untouched wrap was rejected");
            return nameof(CryptographicException);
        }
        catch (ArgumentException)
        {
            Assert.That(expected, Is.Null, $"{where}: an untouched wrap was refused");
            return nameof(ArgumentException);
        }
    }

    private static (byte[] Kek, byte[] Input, byte[]? Expected, string Kind) NextCase(Random random)
    {
        int[] goodKekSizes = [16, 24, 32];
        byte[] kek = AesKeyWrapPadTests.RandomBytes(random, goodKekSizes[random.Next(3)]);
        byte[] plaintext = AesKeyWrapPadTests.RandomBytes(random, 1 + random.Next(random.Next(2) == 0 ? 40 : 3000));
        byte[] wrapped = AesKeyWrapPad.Wrap(kek, plaintext);
        switch (random.Next(8))
        {
            case 0:
                return (kek, wrapped, plaintext, "untouched");
            case 1:
                return (kek, AesKeyWrapPadTests.RandomBytes(random, random.Next(64)), null, "random bytes");
            case 2:
                return (kek, AesKeyWrapPadTests.RandomBytes(random, 8 * (2 + random.Next(40))), null, "random semiblocks");
            case 3:
                return (kek, wrapped[..random.Next(wrapped.Length)], null, "truncated");
            case 4:
                return (kek, [.. wrapped, .. AesKeyWrapPadTests.RandomBytes(random, 1 + random.Next(16))], null, "extended");
            case 5:
            {
                byte[] mutated = (byte[])wrapped.Clone();
                int changes = 1 + random.Next(3);
                for (int c = 0; c < changes; c++)
                {
                    mutated[random.Next(mutated.Length)] ^= (byte)(1 + random.Next(255));
                }

                return (kek, mutated, null, "mutated");
            }

            case 6:
            {
                byte[] otherKek = (byte[])kek.Clone();
                otherKek[random.Next(otherKek.Length)] ^= (byte)(1 << random.Next(8));
                return (otherKek, wrapped, null, "wrong key");
            }

            default:
            {
                int[] badKekSizes = [0, 1, 15, 17, 20, 31, 33, 48];
                return (AesKeyWrapPadTests.RandomBytes(random, badKekSizes[random.Next(badKekSizes.Length)]), wrapped, null, "bad key size");
            }
        }
    }
}
