using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Internal;

/// <summary>
/// Adds the library's view so that it yields to the app's: OpenTelemetry makes one stream per matching view, so a
/// library view beside an app view of the same instrument would export two histograms under one name. The library's
/// view answers only for instruments no other view of the provider selects. No public surface lists a provider's
/// views: <see cref="SdkFallback.Views"/> reads them; where it cannot, the library's view stands beside the app's
/// (docs/configuration.md) and the app's logger says so.
/// </summary>
internal static partial class ViewArbiter
{
    public static void Attach(IServiceProvider services, MeterProviderBuilder builder, Func<Instrument, MetricStreamConfiguration?> library)
    {
        var views = SdkFallback.Views(builder);
        if (views is null)
        {
            var logger = services.GetService<ILoggerFactory>()?.CreateLogger("IncidentTelemetry");
            if (logger is not null)
            {
                LogViewsUnreadable(logger);
            }

            IncidentTelemetryEventSource.Log.Dropped("the SDK's view list could not be read; the library's views do not yield to the app's");
            builder.AddView(library);
            return;
        }

        Func<Instrument, MetricStreamConfiguration?>? self = null;
        self = instrument =>
        {
            var ours = library(instrument);
            if (ours is null)
            {
                return null;
            }

            foreach (var view in views)
            {
                if (!ReferenceEquals(view, self) && view(instrument) is not null)
                {
                    return null;
                }
            }

            return ours;
        };
        builder.AddView(self);
    }

    [LoggerMessage(20, LogLevel.Warning, "IncidentTelemetry: could not read this OpenTelemetry version's view list; the library's latency views stand beside any view of the app's for the same instrument (two streams under one name). Remove the app's view or the library's instrumentation for that instrument.")]
    private static partial void LogViewsUnreadable(ILogger logger);
}
