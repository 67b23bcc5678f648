namespace KmsImport.Sdk.Tests.Client;

[CancelAfter(10_000)]
public class KeyIdLocksTests
{
    [Test]
    public async Task A_Second_Holder_Of_One_Key_Waits_And_Other_Keys_Do_Not(CancellationToken cancellationToken)
    {
        var locks = new KeyIdLocks();
        KeyIdLocks.Releaser first = await locks.AcquireAsync("a", cancellationToken);
        Task<KeyIdLocks.Releaser> second = locks.AcquireAsync("a", cancellationToken);
        using KeyIdLocks.Releaser other = await locks.AcquireAsync("b", cancellationToken);

        Assert.That(second.IsCompleted, Is.False);
        first.Dispose();
        first.Dispose();
        (await second).Dispose();
        Assert.That(locks.Count, Is.EqualTo(1), "only b is still held");
    }

    [Test]
    public async Task Entries_Do_Not_Outlive_Their_Holders_Or_Cancelled_Waiters(CancellationToken cancellationToken)
    {
        var locks = new KeyIdLocks();
        for (int i = 0; i < 100; i++)
        {
            using KeyIdLocks.Releaser held = await locks.AcquireAsync("key-" + i, cancellationToken);
        }

        KeyIdLocks.Releaser holder = await locks.AcquireAsync("x", cancellationToken);
        using var cancel = new CancellationTokenSource();
        Task<KeyIdLocks.Releaser> waiter = locks.AcquireAsync("x", cancel.Token);
        await cancel.CancelAsync();
        Assert.That(async () => await waiter, Throws.InstanceOf<OperationCanceledException>());
        holder.Dispose();

        Assert.That(locks.Count, Is.Zero);
    }
}
