using System.Globalization;

namespace KmsImport.Cli;

/// <summary>How times and states look in the tool's output.</summary>
internal static class OutputFormat
{
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    public static string Expiry(DateTimeOffset? time) => time is { } t ? Time(t) : "never";
}
