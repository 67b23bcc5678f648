using System.Collections.Concurrent;
using System.Globalization;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>
/// The figures <c>docs/reliability.md</c> reports. Each is written to the test's output as it is
/// recorded and, at the end of the run, to <c>reliability-figures.txt</c> beside the test assembly
/// (or to the path in <c>KMSIMPORT_RELIABILITY_REPORT</c>).
/// </summary>
internal static class Figures
{
    private static readonly ConcurrentQueue<string> s_lines = new();

    public static void Record(string name, object value)
    {
        string line = string.Create(CultureInfo.InvariantCulture, $"{name}: {value}");
        s_lines.Enqueue(line);
        TestContext.Out.WriteLine("FIGURE " + line);
        TestContext.Progress.WriteLine("FIGURE " + line);
    }

    public static void Write()
    {
        string path = Environment.GetEnvironmentVariable("KMSIMPORT_RELIABILITY_REPORT")
            ?? Path.Combine(AppContext.BaseDirectory, "reliability-figures.txt");
        File.WriteAllLines(path, s_lines);
        TestContext.Progress.WriteLine($"Reliability figures written to {path}");
    }
}
