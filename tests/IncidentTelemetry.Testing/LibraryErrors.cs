using System.Collections.Concurrent;
using System.Diagnostics.Tracing;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace IncidentTelemetry.Testing;

/// <summary>
/// Everything the library reports about its own trouble: warnings and errors of the "IncidentTelemetry"
/// event source (process-wide) and warnings or errors logged by one app (add <see cref="Logger"/>, a
/// <see cref="FakeLoggerProvider"/>, to it).
/// </summary>
public sealed class LibraryErrors : EventListener
{
    private readonly ConcurrentQueue<string> events = new();

    // Only warnings and above are kept: the apps under load log every request at Information.
    private readonly FakeLoggerProvider logger = new(new FakeLogCollector(Options.Create(new FakeLogCollectorOptions
    {
        FilteredLevels = new HashSet<LogLevel> { LogLevel.Warning, LogLevel.Error, LogLevel.Critical },
    })));

    /// <summary>A logger provider that records what the app logs.</summary>
    public ILoggerProvider Logger => this.logger;

    /// <summary>Event source warnings and errors from "IncidentTelemetry" and "IncidentTelemetry.StackExchangeRedis", each prefixed with the source's name.</summary>
    public IReadOnlyCollection<string> Events => this.events;

    /// <summary>Log entries at Warning and above, as "level category: message exception-type".</summary>
    public IReadOnlyCollection<string> Logs =>
        [.. this.logger.Collector.GetSnapshot().Select(r => $"{r.Level} {r.Category}: {r.Message} {r.Exception?.GetType().FullName}")];

    public override void Dispose()
    {
        this.logger.Dispose();
        base.Dispose();
    }

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
}
