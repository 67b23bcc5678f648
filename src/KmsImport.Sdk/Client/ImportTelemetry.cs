using System.Diagnostics;
using KmsImport.Sdk.Diagnostics;

namespace KmsImport.Sdk;

/// <summary>The client's traces and metrics: one activity per workflow and one count per outcome.</summary>
internal static class ImportTelemetry
{
    public static Activity? StartActivity(string name, string? keyId, KeySpec keySpec)
    {
        Activity? activity = KmsImportDiagnostics.ActivitySource.StartActivity("KeyImportClient." + name, ActivityKind.Internal);
        if (activity is not null)
        {
            activity.SetTag("kms.key_spec", keySpec.ToString());
            if (keyId is not null)
            {
                activity.SetTag("kms.key_id", keyId);
            }
        }

        return activity;
    }

    public static void RecordOutcome(Activity? activity, KeySpec keySpec, Exception? error)
    {
        string outcome = error switch
        {
            null => "succeeded",
            KeyImportValidationException or ArgumentException => "invalid",
            OperationCanceledException => "cancelled",
            _ => "failed",
        };
        KmsImportDiagnostics.Imports.Add(
            1,
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("key_spec", keySpec.ToString()));
        if (activity is not null)
        {
            activity.SetTag("outcome", outcome);
            if (error is not null)
            {
                activity.SetStatus(ActivityStatusCode.Error, error.GetType().Name);
            }
        }
    }
}
