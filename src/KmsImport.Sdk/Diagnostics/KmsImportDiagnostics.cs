using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace KmsImport.Sdk.Diagnostics;

/// <summary>
/// The SDK's <see cref="ActivitySource"/> and <see cref="Meter"/>, both named <c>KmsImport.Sdk</c>.
/// Tags carry operation names, key ids, status codes and request ids; never material, tokens or credentials.
/// </summary>
internal static class KmsImportDiagnostics
{
    public const string Name = "KmsImport.Sdk";

    public static readonly string Version =
        typeof(KmsImportDiagnostics).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    public static readonly ActivitySource ActivitySource = new(Name, Version);

    public static readonly Meter Meter = new(Name, Version);

    /// <summary>KMS requests sent, tagged with <c>operation</c> and <c>status</c>.</summary>
    public static readonly Counter<long> Operations =
        Meter.CreateCounter<long>("kmsimport.operations", unit: "{operation}", description: "KMS requests completed, by operation and outcome.");

    /// <summary>Retries of KMS requests, tagged with <c>operation</c>.</summary>
    public static readonly Counter<long> Retries =
        Meter.CreateCounter<long>("kmsimport.retries", unit: "{retry}", description: "KMS request attempts retried after a transient failure.");

    /// <summary>Duration of KMS requests across attempts, tagged with <c>operation</c>.</summary>
    public static readonly Histogram<double> Duration =
        Meter.CreateHistogram<double>("kmsimport.operation.duration", unit: "s", description: "Duration of KMS requests, including retries.");

    /// <summary>Key imports completed by the client workflows, tagged with <c>outcome</c>.</summary>
    public static readonly Counter<long> Imports =
        Meter.CreateCounter<long>("kmsimport.imports", unit: "{import}", description: "Key imports completed by the client, by outcome.");
}
