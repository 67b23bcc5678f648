using KmsImport.Sdk.Batches;
using Microsoft.Extensions.Time.Testing;

namespace KmsImport.Sdk.Tests.Batches;

[TestFixture]
public class AdaptiveConcurrencyLimiterTests
{
    [Test]
    public void A_429_Halves_The_Limit_And_Successes_Raise_It_By_One_Per_Limit()
    {
        var limiter = new AdaptiveConcurrencyLimiter(8, 8);

        limiter.OnThrottled(null);
        Assert.That(limiter.CurrentLimit, Is.EqualTo(4));
        limiter.OnThrottled(null);
        limiter.OnThrottled(null);
        limiter.OnThrottled(null);
        Assert.That(limiter.CurrentLimit, Is.EqualTo(1), "never below one");

        limiter.OnSuccess();
        Assert.That(limiter.CurrentLimit, Is.EqualTo(2));
        limiter.OnSuccess();
        Assert.That(limiter.CurrentLimit, Is.EqualTo(2));
        limiter.OnSuccess();
        Assert.That(limiter.CurrentLimit, Is.EqualTo(3));
        for (int i = 0; i < 100; i++)
        {
            limiter.OnSuccess();
        }

        Assert.That(limiter.CurrentLimit, Is.EqualTo(8), "never above the maximum");
        Assert.That(limiter.ThrottledCount, Is.EqualTo(4));
    }

    [Test]
    public async Task Requests_Beyond_The_Limit_Wait_For_A_Slot()
    {
        var limiter = new AdaptiveConcurrencyLimiter(1, 4);
        IDisposable first = await limiter.AcquireAsync();
        ValueTask<IDisposable> second = limiter.AcquireAsync();

        Assert.That(second.IsCompleted, Is.False);
        first.Dispose();
        (await second).Dispose();
    }

    [Test]
    public async Task Retry_After_Holds_New_Requests_Back_Until_It_Has_Passed()
    {
        var time = new FakeTimeProvider();
        var limiter = new AdaptiveConcurrencyLimiter(4, 4, time);

        limiter.OnThrottled(TimeSpan.FromSeconds(2));
        ValueTask<IDisposable> held = limiter.AcquireAsync();
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.That(held.IsCompleted, Is.False, "still paused after 1 s of 2");

        time.Advance(TimeSpan.FromSeconds(1));
        using IDisposable slot = await held.AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task A_Cancelled_Wait_Gives_Up_Without_Taking_A_Slot()
    {
        var limiter = new AdaptiveConcurrencyLimiter(1, 1);
        IDisposable first = await limiter.AcquireAsync();
        using var cancel = new CancellationTokenSource();
        ValueTask<IDisposable> waiting = limiter.AcquireAsync(cancel.Token);

        await cancel.CancelAsync();

        Assert.That(async () => await waiting, Throws.InstanceOf<OperationCanceledException>());
        first.Dispose();
        using IDisposable again = await limiter.AcquireAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(10));
    }

    [Test]
    public void Limits_Out_Of_Range_Are_Refused()
    {
        Assert.That(() => new AdaptiveConcurrencyLimiter(0, 4), Throws.InstanceOf<ArgumentOutOfRangeException>());
        Assert.That(() => new AdaptiveConcurrencyLimiter(5, 4), Throws.InstanceOf<ArgumentOutOfRangeException>());
    }
}
