using System.Diagnostics.Metrics;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Internal;

/// <summary>
/// Adds the library's view so that it yields to the app's: OpenTelemetry makes one stream per matching view, so a
/// library view beside an app view of the same instrument would export two histograms under one name. The library's
/// view answers only for instruments no other view of the provider selects. The SDK keeps its views in the list
/// <c>ViewConfigs</c> of its builder, which is complete once the provider starts measuring, when views are asked.
/// </summary>
internal static class ViewArbiter
{
    public static void Attach(MeterProviderBuilder builder, Func<Instrument, MetricStreamConfiguration?> library)
    {
        var views = builder.GetType().GetProperty("ViewConfigs")?.GetValue(builder) as IReadOnlyList<Func<Instrument, MetricStreamConfiguration?>>;
        if (views is null)
        {
            // Another SDK layout: the library's view stands beside the app's (documented in docs/configuration.md).
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
}
