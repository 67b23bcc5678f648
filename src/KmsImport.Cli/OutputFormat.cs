using System.Globalization;
using KmsImport.Sdk;

namespace KmsImport.Cli;

/// <summary>How times look in the tool's output and messages: ISO 8601 in UTC to the second, <c>2027-01-31T00:00:00Z</c>.</summary>
internal static class OutputFormat
{
    public static string Time(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>When material expires, or <c>never</c>.</summary>
    public static string Expiry(DateTimeOffset? time) => time is { } t ? Time(t) : "never";

    /// <summary>When material would expire if imported now (a duration counts from the import), or <c>never</c>.</summary>
    public static string Expiry(MaterialExpiry expiry, TimeProvider timeProvider) => Expiry(expiry.ResolveExpiresOn(timeProvider));
}
