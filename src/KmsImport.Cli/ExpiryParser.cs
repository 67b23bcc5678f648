using System.Globalization;
using System.Text.RegularExpressions;
using KmsImport.Sdk;

namespace KmsImport.Cli;

/// <summary>Parses <c>--expires</c>: <c>never</c>, an ISO-8601 time with an offset, or a duration such as <c>24h</c> or <c>30d</c>.</summary>
internal static partial class ExpiryParser
{
    public const string Help = "never (the default), an ISO-8601 time with an offset such as 2027-01-31T00:00:00Z, or a duration from now: 90m, 24h, 30d, 2w";

    public static MaterialExpiry Parse(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || string.Equals(text.Trim(), "never", StringComparison.OrdinalIgnoreCase))
        {
            return MaterialExpiry.Never;
        }

        text = text.Trim();
        Match duration = DurationPattern().Match(text);
        if (duration.Success)
        {
            if (!long.TryParse(duration.Groups["n"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long n) || n <= 0 || n > 100_000)
            {
                throw new CliUsageException($"--expires {text}: the duration must be between 1 and 100000 units.");
            }

            TimeSpan span = char.ToLowerInvariant(duration.Groups["unit"].Value[0]) switch
            {
                's' => TimeSpan.FromSeconds(n),
                'm' => TimeSpan.FromMinutes(n),
                'h' => TimeSpan.FromHours(n),
                'd' => TimeSpan.FromDays(n),
                _ => TimeSpan.FromDays(7 * n),
            };
            return MaterialExpiry.After(span);
        }

        if (!OffsetSuffixPattern().IsMatch(text)
            || !DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out DateTimeOffset at))
        {
            throw new CliUsageException($"--expires '{text}' is not understood; use {Help}.");
        }

        return MaterialExpiry.At(at);
    }

    /// <summary>The absolute time, checked to be in the future (the service answers KMS.2602 otherwise).</summary>
    public static DateTimeOffset? ResolveFuture(MaterialExpiry expiry, TimeProvider timeProvider)
    {
        DateTimeOffset? at = expiry.ResolveExpiresOn(timeProvider);
        if (at is { } time && time <= timeProvider.GetUtcNow())
        {
            throw new CliUsageException($"--expires {OutputFormat.Time(time)} is in the past; the material expiry must be in the future.");
        }

        return at;
    }

    [GeneratedRegex(@"^(?<n>\d+)\s*(?<unit>[smhdwSMHDW])$", RegexOptions.CultureInvariant)]
    private static partial Regex DurationPattern();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}T.*(Z|z|[+-]\d{2}:?\d{2})$", RegexOptions.CultureInvariant)]
    private static partial Regex OffsetSuffixPattern();
}
