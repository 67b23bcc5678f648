using KmsImport.Sdk.Cryptography;
using Org.BouncyCastle.Crypto.Engines;
using Org.BouncyCastle.Crypto.Parameters;

namespace KmsImport.Sdk.Tests.Cryptography;

// Our wrap against two independent implementations for every plaintext length from 1 to 4200
// (past OpenSSL's 4096-byte command-line chunk), with a random 128/192/256-bit KEK per length.
public class AesKeyWrapPadDifferentialTests
{
    private const int MaxLength = 4200;
    private const int Seed = 5649;

    [Test]
    [CancelAfter(300_000)]
    public void WrapAndUnwrap_Every_Length_On_Both_Engines_Match_DotNet_And_BouncyCastle(CancellationToken cancellationToken)
    {
        var random = new Random(Seed);
        int[] kekSizes = [16, 24, 32];
        using var dotnet = System.Security.Cryptography.Aes.Create();
        var bouncyCastle = new AesWrapPadEngine();
        int checkedLengths = 0;

        for (int length = 1; length <= MaxLength; length++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            byte[] kek = AesKeyWrapPadTests.RandomBytes(random, kekSizes[random.Next(kekSizes.Length)]);
            byte[] plaintext = AesKeyWrapPadTests.RandomBytes(random, length);
            dotnet.Key = kek;

            // Their wraps.
            byte[] expected = dotnet.EncryptKeyWrapPadded(plaintext);
            bouncyCastle.Init(true, new KeyParameter(kek));
            byte[] bouncyCastleWrapped = bouncyCastle.Wrap(plaintext, 0, plaintext.Length);

            // Ours, on both engines and through the array and span overloads.
            byte[] ours = AesKeyWrapPad.Wrap(kek, plaintext);
            byte[] oursFallback = new byte[AesKeyWrapPad.GetWrappedLength(length)];
            AesKeyWrapPad.Wrap(kek, plaintext, oursFallback, AesKeyWrapPad.Engine.Platform);

            // Their unwrap of ours (BouncyCastle; .NET's would decrypt its own identical bytes).
            bouncyCastle.Init(false, new KeyParameter(kek));
            byte[] bouncyCastleUnwrapped = bouncyCastle.Unwrap(ours, 0, ours.Length);

            // Our unwrap of theirs, on both engines.
            byte[] unwrapped = AesKeyWrapPad.Unwrap(kek, expected);
            byte[] unwrappedFallback = AesKeyWrapPad.Unwrap(kek, bouncyCastleWrapped, AesKeyWrapPad.Engine.Platform);

            if (!ours.AsSpan().SequenceEqual(expected)
                || !oursFallback.AsSpan().SequenceEqual(expected)
                || !bouncyCastleWrapped.AsSpan().SequenceEqual(expected)
                || !bouncyCastleUnwrapped.AsSpan().SequenceEqual(plaintext)
                || !unwrapped.AsSpan().SequenceEqual(plaintext)
                || !unwrappedFallback.AsSpan().SequenceEqual(plaintext))
            {
                Assert.Fail($"Mismatch at length {length} with a {kek.Length * 8}-bit KEK (seed {Seed}).");
            }

            checkedLengths++;
        }

        Assert.That(checkedLengths, Is.EqualTo(MaxLength));
    }
}
