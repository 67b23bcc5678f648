using System.Collections.Concurrent;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;

namespace KmsImport.Sdk.Reliability.Tests.Faults;

/// <summary>Counts faults injected and how the client came out of them, for the figures.</summary>
internal static class FaultTally
{
    private static readonly ConcurrentDictionary<string, int> s_counts = new(StringComparer.Ordinal);

    public static void Record(string key, int count = 1)
    {
        int total = s_counts.AddOrUpdate(key, count, (_, n) => n + count);
        Figures.Record(key, total);
    }
}
