using KmsImport.Sdk.Cryptography;

namespace KmsImport.Sdk.Tests.Cryptography;

// The span API allocates nothing on the AES-NI engine; the fallback allocates a fixed amount
// (its platform AES object), never in proportion to the input.
[CancelAfter(60_000)]
public class AesKeyWrapPadAllocationTests
{
    private static readonly byte[] s_kek = AesKeyWrapPadTests.RandomBytes(new Random(7), 32);

    [Test]
    public void Span_api_allocates_nothing_with_AES_NI_and_a_fixed_amount_without()
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
    public void Fallback_engine_allocation_does_not_grow_with_the_input()
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

        // Warm up so that JIT and first-call allocations are not counted.
        RoundTrip(plaintext, wrapped, unwrapped, engine);
        long before = GC.GetAllocatedBytesForCurrentThread();
        RoundTrip(plaintext, wrapped, unwrapped, engine);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(unwrapped.AsSpan(0, length).SequenceEqual(plaintext), Is.True);
        return allocated;
    }

    private static void RoundTrip(byte[] plaintext, byte[] wrapped, byte[] unwrapped, AesKeyWrapPad.Engine engine)
    {
        AesKeyWrapPad.Wrap(s_kek, plaintext, wrapped, engine);
        AesKeyWrapPad.TryUnwrap(s_kek, wrapped, unwrapped, out _, engine);
    }
}
