namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>Bounds an await: a task that does not finish in time fails the test as a hang instead of blocking the run.</summary>
internal static class Bounded
{
    public static readonly TimeSpan DefaultLimit = TimeSpan.FromSeconds(30);

    public static async Task<T> Within<T>(this Task<T> task, TimeSpan? limit = null)
    {
        try
        {
            return await task.WaitAsync(limit ?? DefaultLimit);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            Assert.Fail($"hang: the call did not complete within {limit ?? DefaultLimit}");
            throw;
        }
    }

    public static async Task Within(this Task task, TimeSpan? limit = null)
    {
        try
        {
            await task.WaitAsync(limit ?? DefaultLimit);
        }
        catch (TimeoutException) when (!task.IsCompleted)
        {
            Assert.Fail($"hang: the call did not complete within {limit ?? DefaultLimit}");
            throw;
        }
    }
}
