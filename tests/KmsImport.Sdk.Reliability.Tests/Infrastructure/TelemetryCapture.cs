using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>
/// Listens to the SDK's ActivitySource and Meter (<c>KmsImport.Sdk</c>) and to HttpClient's
/// activities, and captures names, tags, events and status descriptions for the secret scan.
/// </summary>
internal sealed class TelemetryCapture : IDisposable
{
    public const string SdkSourceName = "KmsImport.Sdk";

    private readonly TextCapture _capture;
    private readonly ActivityListener _activityListener;
    private readonly MeterListener _meterListener;
    private int _activities;
    private int _measurements;

    public TelemetryCapture(TextCapture capture)
    {
        _capture = capture;
        _activityListener = new ActivityListener
        {
            ShouldListenTo = source => source.Name.StartsWith(SdkSourceName, StringComparison.Ordinal) || source.Name.StartsWith("System.Net", StringComparison.Ordinal),
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = OnActivityStopped,
        };
        ActivitySource.AddActivityListener(_activityListener);

        _meterListener = new MeterListener
        {
            InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name.StartsWith(SdkSourceName, StringComparison.Ordinal))
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            },
        };
        _meterListener.SetMeasurementEventCallback<long>(OnMeasurement);
        _meterListener.SetMeasurementEventCallback<int>(OnMeasurement);
        _meterListener.SetMeasurementEventCallback<double>(OnMeasurement);
        _meterListener.Start();
    }

    public int ActivityCount => Volatile.Read(ref _activities);

    public int MeasurementCount => Volatile.Read(ref _measurements);

    public void Dispose()
    {
        _activityListener.Dispose();
        _meterListener.Dispose();
    }

    private void OnActivityStopped(Activity activity)
    {
        Interlocked.Increment(ref _activities);
        var text = new System.Text.StringBuilder();
        text.Append(activity.Source.Name).Append(' ').Append(activity.OperationName).Append(' ').Append(activity.DisplayName)
            .Append(' ').Append(activity.Status).Append(' ').Append(activity.StatusDescription);
        foreach (KeyValuePair<string, object?> tag in activity.TagObjects)
        {
            text.Append(" | ").Append(tag.Key).Append('=').Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
        }

        foreach (ActivityEvent activityEvent in activity.Events)
        {
            text.Append(" | event ").Append(activityEvent.Name);
            foreach (KeyValuePair<string, object?> tag in activityEvent.Tags)
            {
                text.Append(' ').Append(tag.Key).Append('=').Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
            }
        }

        foreach (KeyValuePair<string, string?> item in activity.Baggage)
        {
            text.Append(" | baggage ").Append(item.Key).Append('=').Append(item.Value);
        }

        _capture.Add("activity", text.ToString());
    }

    private void OnMeasurement<T>(Instrument instrument, T measurement, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        Interlocked.Increment(ref _measurements);
        var text = new System.Text.StringBuilder();
        text.Append(instrument.Name).Append('=').Append(measurement);
        foreach (KeyValuePair<string, object?> tag in tags)
        {
            text.Append(" | ").Append(tag.Key).Append('=').Append(Convert.ToString(tag.Value, CultureInfo.InvariantCulture));
        }

        _capture.Add("metric", text.ToString());
    }
}
