using System.Diagnostics.Tracing;
using Microsoft.Extensions.Logging;

namespace IncidentTelemetry.Internal;

/// <summary>
/// Passes the library's own warnings (<see cref="IncidentTelemetryEventSource"/>: dropped names and values, failed
/// callbacks, failed scrapes) on to the app's logger, category <c>IncidentTelemetry</c>, so that they are seen
/// without an event listener. One per container, alive while the MeterProvider is; an <see cref="EventListener"/> is
/// the public way to read an event source. The event source is the process's, so in a process that hosts several
/// apps each app's logger gets every app's messages.
/// </summary>
internal sealed partial class LibraryLogBridge : EventListener
{
    private readonly ILogger? logger;

    public LibraryLogBridge(ILoggerFactory? loggers)
    {
        this.logger = loggers?.CreateLogger("IncidentTelemetry");
        if (this.logger is not null)
        {
            this.EnableEvents(IncidentTelemetryEventSource.Log, EventLevel.Informational);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        // Called on the thread that wrote the event; events fire from the base constructor's listener list too,
        // before this instance's fields are set.
        if (this.logger is not { } log || eventData.EventSource != IncidentTelemetryEventSource.Log || eventData.Message is null)
        {
            return;
        }

        var message = string.Format(System.Globalization.CultureInfo.InvariantCulture, eventData.Message, eventData.Payload?.ToArray() ?? []);
        switch (eventData.Level)
        {
            case EventLevel.Error or EventLevel.Critical:
                LogError(log, message);
                break;
            default:
                // Dropped values are informational in the event source, which tools filter by level; in the app's
                // log they are what the app should act on.
                LogWarning(log, message);
                break;
        }
    }

    [LoggerMessage(30, LogLevel.Warning, "{Message}")]
    private static partial void LogWarning(ILogger logger, string message);

    [LoggerMessage(31, LogLevel.Error, "{Message}")]
    private static partial void LogError(ILogger logger, string message);
}
