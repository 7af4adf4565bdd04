using System.Diagnostics.Tracing;

namespace IncidentTelemetry.Internal;

/// <summary>
/// The library's own trouble, reported without ever throwing into the host.
/// Listen with <c>dotnet-trace</c> or an <see cref="EventListener"/> on "IncidentTelemetry".
/// </summary>
[EventSource(Name = "IncidentTelemetry")]
internal sealed class IncidentTelemetryEventSource : EventSource
{
    public static readonly IncidentTelemetryEventSource Log = new();

    [NonEvent]
    public void CallbackFailed(string what, Exception exception)
    {
        if (this.IsEnabled(EventLevel.Warning, EventKeywords.All))
        {
            this.CallbackFailed(what, exception.GetType().FullName ?? exception.GetType().Name);
        }
    }

    /// <summary>A meter callback, enrichment or decorator step failed; the host was not affected.</summary>
    [Event(1, Level = EventLevel.Warning, Message = "IncidentTelemetry: {0} failed with {1}; the measurement was skipped.")]
    public void CallbackFailed(string what, string exceptionType) => this.WriteEvent(1, what, exceptionType);

    /// <summary>A scrape of the metrics endpoint failed.</summary>
    [Event(2, Level = EventLevel.Error, Message = "IncidentTelemetry: scrape failed with {0}.")]
    public void ScrapeFailed(string exceptionType) => this.WriteEvent(2, exceptionType);

    /// <summary>A value was dropped because it would have broken a bound (for example an unknown attribute value).</summary>
    [Event(3, Level = EventLevel.Informational, Message = "IncidentTelemetry: {0}")]
    public void Dropped(string what) => this.WriteEvent(3, what);
}
