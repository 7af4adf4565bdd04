using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Microsoft.Extensions.Logging;

namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// Everything the library reports about its own trouble: warnings and errors of the "IncidentTelemetry"
/// event source (process-wide) and warnings or errors logged by one app (add <see cref="Logger"/> to it).
/// </summary>
internal sealed class LibraryErrors : EventListener
{
    private readonly ConcurrentQueue<string> events = new();
    private readonly ConcurrentQueue<string> logs = new();

    public LibraryErrors()
    {
        this.Logger = new CapturingLoggerProvider(this.logs);
    }

    /// <summary>A logger provider that records Warning and above, with the exception type.</summary>
    public ILoggerProvider Logger { get; }

    /// <summary>Event source warnings and errors from "IncidentTelemetry" and "IncidentTelemetry.StackExchangeRedis", each prefixed with the source's name.</summary>
    public IReadOnlyCollection<string> Events => this.events;

    /// <summary>Log entries at Warning and above.</summary>
    public IReadOnlyCollection<string> Logs => this.logs;

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name is "IncidentTelemetry" or "IncidentTelemetry.StackExchangeRedis")
        {
            this.EnableEvents(eventSource, EventLevel.Warning);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.Level <= EventLevel.Warning)
        {
            this.events.Enqueue($"{eventData.EventSource.Name} {eventData.EventName}: {string.Join(", ", eventData.Payload ?? [])}");
        }
    }

    private sealed class CapturingLoggerProvider(ConcurrentQueue<string> sink) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => new CapturingLogger(categoryName, sink);

        public void Dispose()
        {
        }
    }

    private sealed class CapturingLogger(string category, ConcurrentQueue<string> sink) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (this.IsEnabled(logLevel))
            {
                sink.Enqueue($"{logLevel} {category}: {formatter(state, exception)} {exception?.GetType().FullName}");
            }
        }
    }
}
