using System.Diagnostics;
using KmsImport.Sdk.Diagnostics;

namespace KmsImport.Sdk.Transport;

/// <summary>
/// The trace and metrics of one transport call: a client activity from start to end, and on completion the
/// <c>kmsimport.operations</c> count, the <c>kmsimport.operation.duration</c> and the outcome tags of the activity.
/// Tags carry the operation, key id, host, status, attempts, request id and error code; never bodies, tokens or credentials.
/// </summary>
internal sealed class KmsCallTelemetry : IDisposable
{
    private readonly Activity? _activity;
    private readonly string _operation;
    private readonly TimeProvider _timeProvider;
    private readonly long _started;

    private KmsCallTelemetry(Activity? activity, string operation, TimeProvider timeProvider)
    {
        _activity = activity;
        _operation = operation;
        _timeProvider = timeProvider;
        _started = timeProvider.GetTimestamp();
    }

    /// <summary>Starts the call's activity (when someone listens) and its clock.</summary>
    public static KmsCallTelemetry Start(KmsOperation operation, string? keyId, string host, TimeProvider timeProvider)
    {
        Activity? activity = KmsImportDiagnostics.ActivitySource.StartActivity($"KMS {operation.Name}", ActivityKind.Client);
        activity?.SetTag("kms.operation", operation.Name);
        activity?.SetTag("kms.key_id", keyId);
        activity?.SetTag("server.address", host);
        return new KmsCallTelemetry(activity, operation.Name, timeProvider);
    }

    /// <summary>Records how the call ended; <paramref name="status"/> is 0 when no response was received.</summary>
    public void Complete(KmsCall call, int status, string? errorCode, string? requestId)
    {
        var tags = new TagList
        {
            { "operation", _operation },
            { "status", status },
        };
        KmsImportDiagnostics.Operations.Add(1, tags);
        KmsImportDiagnostics.Duration.Record(_timeProvider.GetElapsedTime(_started).TotalSeconds, tags);
        if (_activity is not null)
        {
            _activity.SetTag("http.response.status_code", status);
            _activity.SetTag("kms.attempts", call.Attempts);
            _activity.SetTag("kms.retries", call.Retries);
            _activity.SetTag("kms.request_id", requestId);
            _activity.SetTag("kms.error_code", errorCode);
            if (status is < 200 or > 299)
            {
                _activity.SetStatus(ActivityStatusCode.Error, errorCode ?? (status == 0 ? "no response" : $"HTTP {status}"));
            }
        }
    }

    /// <summary>Ends the activity.</summary>
    public void Dispose() => _activity?.Dispose();
}
