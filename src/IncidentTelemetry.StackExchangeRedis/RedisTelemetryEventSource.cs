using System.Diagnostics.Tracing;

namespace IncidentTelemetry.StackExchangeRedis;

/// <summary>
/// Where the package reports its own failures instead of throwing into the app. Its own event source rather than a
/// linked copy of the core's: an event source is known to listeners by its name, and a second "IncidentTelemetry" in
/// another assembly would be a second source with the same name; this one is "IncidentTelemetry.StackExchangeRedis".
/// </summary>
[EventSource(Name = "IncidentTelemetry.StackExchangeRedis")]
internal sealed class RedisTelemetryEventSource : EventSource
{
    public static readonly RedisTelemetryEventSource Log = new();

    [NonEvent]
    public void CallbackFailed(string what, Exception exception)
    {
        if (this.IsEnabled())
        {
            this.CallbackFailed(what, exception.GetType().FullName ?? exception.GetType().Name);
        }
    }

    [Event(1, Level = EventLevel.Warning, Message = "IncidentTelemetry.StackExchangeRedis: {0} failed with {1}; the measurement was skipped.")]
    public void CallbackFailed(string what, string exceptionType) => this.WriteEvent(1, what, exceptionType);
}
