using System.Buffers;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>
/// The suite-wide secret audit: one catalog of secrets, one capture of every text that left the SDK
/// (logs at Trace, activity and metric tags, exceptions, <c>ToString()</c>), and an incremental scan
/// that each test runs in its tear-down, so a leak fails the test that caused it.
/// </summary>
internal static class SecretAudit
{
    private static readonly Lock s_scanLock = new();
    private static int s_scannedTexts;
    private static int s_scannedForms;
    private static long s_textsScanned;
    private static readonly List<string> s_leaks = [];

    public static SecretCatalog Secrets { get; } = new();

    public static TextCapture Texts { get; } = new();

    public static CapturingLoggerProvider LoggerProvider { get; } = new(Texts);

    public static TelemetryCapture? Telemetry { get; private set; }

    /// <summary>A Trace-level logger factory over the capturing provider, for anything the suite builds by hand.</summary>
    public static ILoggerFactory LoggerFactory { get; } = Microsoft.Extensions.Logging.LoggerFactory.Create(builder =>
    {
        builder.SetMinimumLevel(LogLevel.Trace);
        builder.AddProvider(LoggerProvider);
    });

    public static long TextsScanned => Interlocked.Read(ref s_textsScanned);

    public static int LeaksFound
    {
        get
        {
            lock (s_scanLock)
            {
                return s_leaks.Count;
            }
        }
    }

    /// <summary>Adds the capturing provider at Trace level to a logging builder (for DI containers).</summary>
    public static void AddCapturingLogging(ILoggingBuilder builder)
    {
        builder.SetMinimumLevel(LogLevel.Trace);
        builder.AddProvider(new ForwardingProvider());
    }

    public static void Start() => Telemetry ??= new TelemetryCapture(Texts);

    public static void Stop()
    {
        Telemetry?.Dispose();
        Telemetry = null;
    }

    /// <summary>
    /// Scans texts captured since the last scan against every secret, and earlier texts against the
    /// secrets registered since; returns the new leaks (source and which form matched, never the text).
    /// </summary>
    public static IReadOnlyList<string> ScanIncrementally()
    {
        lock (s_scanLock)
        {
            (string[] allForms, int formEnd) = Secrets.Snapshot();
            string[] newForms = allForms[s_scannedForms..];
            (string Source, string Text)[] newTexts = Texts.Snapshot(s_scannedTexts);
            var found = new List<string>();

            SearchValues<string>? all = SecretCatalog.CreateMatcher(allForms);
            if (all is not null)
            {
                found.AddRange(Scan(newTexts, all, allForms));
            }

            SearchValues<string>? added = SecretCatalog.CreateMatcher(newForms);
            if (added is not null && s_scannedTexts > 0)
            {
                found.AddRange(Scan(Texts.Snapshot()[..s_scannedTexts], added, newForms));
            }

            s_scannedTexts += newTexts.Length;
            s_scannedForms = formEnd;
            Interlocked.Add(ref s_textsScanned, newTexts.Length);
            s_leaks.AddRange(found);
            return found;
        }
    }

    /// <summary>Scans texts for forms; each hit names the source and the form's position, never the secret.</summary>
    public static IEnumerable<string> Scan(IEnumerable<(string Source, string Text)> texts, SearchValues<string> matcher, string[] forms)
    {
        foreach ((string source, string text) in texts)
        {
            int index = text.AsSpan().IndexOfAny(matcher);
            if (index >= 0)
            {
                int form = Array.FindIndex(forms, f => text.AsSpan(index).StartsWith(f, StringComparison.Ordinal));
                yield return $"secret form #{form} (length {(form >= 0 ? forms[form].Length : 0)}) found in {source} at offset {index}";
            }
        }
    }

    /// <summary>Routes a container's loggers to the one suite-wide provider without letting the container dispose it.</summary>
    private sealed class ForwardingProvider : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => LoggerProvider.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
