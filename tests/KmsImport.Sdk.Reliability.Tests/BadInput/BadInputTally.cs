using System.Collections.Concurrent;
using KmsImport.Sdk.Reliability.Tests.Infrastructure;

namespace KmsImport.Sdk.Reliability.Tests.BadInput;

/// <summary>Counts the bad inputs tried and handled, for the figures.</summary>
internal static class BadInputTally
{
    private static readonly ConcurrentDictionary<string, int> s_handled = new(StringComparer.Ordinal);

    public static void Record(string surface, string name)
    {
        int count = s_handled.AddOrUpdate(surface, 1, (_, n) => n + 1);
        Figures.Record($"bad input handled ({surface}) #{count}", name);
    }
}
