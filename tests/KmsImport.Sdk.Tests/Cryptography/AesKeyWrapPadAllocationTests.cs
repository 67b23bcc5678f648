using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Tests.Cryptography;

// The span API allocates nothing on the AES-NI engine; the fallback allocates a fixed amount
// (its platform AES object), never in proportion to the input.
[CancelAfter(60_000)]
public class AesKeyWrapPadAllocationTests
{
    private static readonly byte[] s_kek = AesKeyWrapPadTests.RandomBytes(new Random(7), 32);

    [Test]
    public void SpanRoundTrip_Default_Engine_Allocates_Nothing_With_AesNi_And_A_Fixed_Amount_Without()
    {
        long small = MeasureRoundTrip(32, AesKeyWrapPad.Engine.Auto);
        long large = MeasureRoundTrip(2374, AesKeyWrapPad.Engine.Auto);
        TestContext.Out.WriteLine($"AES-NI={AesKeyWrapPad.IsHardwareAccelerated}: {small} B for 32 bytes, {large} B for 2374 bytes");
        if (AesKeyWrapPad.IsHardwareAccelerated)
        {
            Assert.Multiple(() =>
            {
                Assert.That(small, Is.Zero);
                Assert.That(large, Is.Zero);
            });
        }
        else
        {
            Assert.That(large, Is.EqualTo(small));
        }
    }

    [Test]
    public void SpanRoundTrip_Platform_Engine_Allocation_Does_Not_Grow_With_The_Input()
    {
        long small = MeasureRoundTrip(32, AesKeyWrapPad.Engine.Platform);
        long large = MeasureRoundTrip(2374, AesKeyWrapPad.Engine.Platform);
        TestContext.Out.WriteLine($"fallback: {small} B for 32 bytes, {large} B for 2374 bytes");
        Assert.That(large, Is.EqualTo(small));
    }

    private static long MeasureRoundTrip(int length, AesKeyWrapPad.Engine engine)
    {
        byte[] plaintext = AesKeyWrapPadTests.RandomBytes(new Random(length), length);
        byte[] wrapped = new byte[AesKeyWrapPad.GetWrappedLength(length)];
        byte[] unwrapped = new byte[wrapped.Length];

        // Warm up, then keep the smallest of several measurements: tiered JIT (on-stack replacement
        // of a hot loop) may allocate during any single run, which says nothing about the code.
        RoundTrip(plaintext, wrapped, unwrapped, engine);
        RoundTrip(plaintext, wrapped, unwrapped, engine);
        long allocated = long.MaxValue;
        for (int i = 0; i < 5; i++)
        {
            long before = GC.GetAllocatedBytesForCurrentThread();
            RoundTrip(plaintext, wrapped, unwrapped, engine);
            allocated = Math.Min(allocated, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.That(unwrapped.AsSpan(0, length).SequenceEqual(plaintext), Is.True);
        return allocated;
    }

    private static void RoundTrip(byte[] plaintext, byte[] wrapped, byte[] unwrapped, AesKeyWrapPad.Engine engine)
    {
        AesKeyWrapPad.Wrap(s_kek, plaintext, wrapped, engine);
        AesKeyWrapPad.TryUnwrap(s_kek, wrapped, unwrapped, out _, engine);
    }
}
