using System.Globalization;
using Microsoft.Extensions.Logging;

namespace KmsImport.Sdk.Reliability.Tests.Infrastructure;

/// <summary>
/// Captures every log record at every level, with its structured values, scopes and exception, into
/// a <see cref="TextCapture"/> for the secret scan.
/// </summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    private readonly TextCapture _capture;
    private int _records;

    public CapturingLoggerProvider(TextCapture capture)
    {
        _capture = capture;
    }

    public int RecordCount => Volatile.Read(ref _records);

    public ILogger CreateLogger(string categoryName) => new CapturingLogger(this, categoryName);

    public void Dispose()
    {
    }

    private sealed class CapturingLogger(CapturingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable BeginScope<TState>(TState state)
            where TState : notnull
        {
            owner._capture.Add("log.scope", Describe(state));
            return NullScope.Instance;
        }

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            Interlocked.Increment(ref owner._records);
            string message = formatter(state, exception);
            owner._capture.Add("log", string.Create(CultureInfo.InvariantCulture, $"{logLevel} {category} [{eventId.Id} {eventId.Name}] {message} | {Describe(state)}"));
            owner._capture.AddException(exception);
        }

        private static string Describe(object? state)
        {
            if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
            {
                return string.Join("; ", pairs.Select(p => $"{p.Key}={Convert.ToString(p.Value, CultureInfo.InvariantCulture)}"));
            }

            return Convert.ToString(state, CultureInfo.InvariantCulture) ?? string.Empty;
        }
    }

    private sealed class NullScope : IDisposable
    {
        public static readonly NullScope Instance = new();

        public void Dispose()
        {
        }
    }
}
