using System.Collections.Concurrent;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>
/// Every text the suite observed leaving the SDK: log records, activity and metric tags, exception
/// messages and <c>ToString()</c>, the <c>ToString()</c> of the objects tests touch, CLI output.
/// </summary>
internal sealed class TextCapture
{
    private readonly ConcurrentQueue<(string Source, string Text)> _texts = new();
    private int _count;

    public int Count => Volatile.Read(ref _count);

    public void Add(string source, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return;
        }

        _texts.Enqueue((source, text));
        Interlocked.Increment(ref _count);
    }

    /// <summary>An exception's message, <c>ToString()</c> (type, inner exceptions, stack) and data, recursively.</summary>
    public void AddException(Exception? exception)
    {
        for (Exception? current = exception; current is not null; current = current.InnerException)
        {
            Add("exception.message", current.Message);
            Add("exception.tostring", current.ToString());
            foreach (System.Collections.DictionaryEntry entry in current.Data)
            {
                Add("exception.data", $"{entry.Key}={entry.Value}");
            }

            if (current is AggregateException aggregate)
            {
                foreach (Exception inner in aggregate.InnerExceptions)
                {
                    AddException(inner);
                }
            }
        }
    }

    /// <summary>An object's <c>ToString()</c>.</summary>
    public void AddObject(object? value)
    {
        if (value is null)
        {
            return;
        }

        if (value is Exception exception)
        {
            AddException(exception);
            return;
        }

        Add("tostring." + value.GetType().Name, value.ToString());
    }

    /// <summary>The texts from index <paramref name="start"/> on.</summary>
    public (string Source, string Text)[] Snapshot(int start = 0) => _texts.Skip(start).ToArray();
}
