using System.Diagnostics;
using System.Security.Cryptography;
using KmsImport.Sdk.Cryptography;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;

namespace KmsImport.Sdk.Reliability.Tests.Fuzzing;

/// <summary>
/// Seeded fuzzing of the RFC 5649 unwrap: mutated and random ciphertexts under right and wrong keys
/// either unwrap to exactly what was wrapped or fail with <see cref="CryptographicException"/>
/// (<see cref="ArgumentException"/> only for a key or ciphertext of an impossible length, as
/// documented), nothing else.
/// </summary>
public sealed class KeyWrapFuzzTests : ReliabilityTest
{
    [Test]
    [CancelAfter(ReliabilitySettings.LongTestTimeoutMilliseconds)]
    public void Unwrap_Returns_The_Plaintext_Or_Throws_CryptographicException()
    {
        int iterations = ReliabilitySettings.FuzzIterations;
        int seed = ReliabilitySettings.FuzzSeed;
        var random = new Random(seed);
        var mutator = new Mutator(random);
        var findings = new List<string>();
        int unwrapped = 0;
        int rejected = 0;
        int forged = 0;
        CancellationToken testToken = TestContext.CurrentContext.CancellationToken;
        var stopwatch = Stopwatch.StartNew();
        for (int i = 0; i < iterations && findings.Count < 10; i++)
        {
            testToken.ThrowIfCancellationRequested();
            byte[] kek = mutator.RandomBytes(random.Next(50) == 0 ? random.Next(0, 40) : (16 + (8 * random.Next(3))));
            byte[] plaintext = mutator.RandomBytes(random.Next(1, 1300));
            byte[] wrapped = kek.Length is 16 or 24 or 32 ? AesKeyWrapPad.Wrap(kek, plaintext) : mutator.RandomBytes(plaintext.Length + 8);
            byte[] input = random.Next(20) == 0 ? mutator.RandomBytes(random.Next(0, 80)) : mutator.Mutate(wrapped);
            byte[] unwrapKek = random.Next(10) == 0 ? mutator.RandomBytes(kek.Length) : kek;
            try
            {
                byte[] result = AesKeyWrapPad.Unwrap(unwrapKek, input);
                unwrapped++;
                if (!input.AsSpan().SequenceEqual(wrapped) || !unwrapKek.AsSpan().SequenceEqual(kek))
                {
                    forged++;
                }
                else if (!result.AsSpan().SequenceEqual(plaintext))
                {
                    findings.Add($"iteration {i} (seed {seed}): round trip returned other bytes");
                }
            }
            catch (CryptographicException)
            {
                rejected++;
            }
            catch (ArgumentException) when (IsStructurallyInvalid(unwrapKek, input))
            {
                rejected++;
            }
            catch (Exception ex)
            {
                findings.Add($"iteration {i} (seed {seed}, kek {unwrapKek.Length} bytes, input {input.Length} bytes): {ex.GetType().FullName}: {ex.Message}");
            }
        }

        stopwatch.Stop();
        Figures.Record("KWP unwrap fuzz inputs", $"{iterations} (seed {seed}): {unwrapped} unwrapped ({forged} from altered input), {rejected} rejected, {findings.Count} other, in {stopwatch.Elapsed.TotalSeconds:F1} s");
        Assert.That(findings, Is.Empty);
        Assert.That(forged, Is.Zero, "an altered ciphertext or key must never unwrap (the integrity check is 64 bits)");
    }

    // The documented ArgumentException cases: a KEK that is not 16, 24 or 32 bytes, or a ciphertext
    // that is not a multiple of 8 bytes from 16 to AesKeyWrapPad.MaxWrappedLength.
    private static bool IsStructurallyInvalid(byte[] kek, byte[] wrapped) =>
        kek.Length is not (16 or 24 or 32) || wrapped.Length % 8 != 0 || wrapped.Length < 16 || wrapped.Length > AesKeyWrapPad.MaxWrappedLength;
}
