using System.Diagnostics.Metrics;
using IncidentTelemetry.Internal;

namespace OpenTelemetry.Metrics;

/// <summary>
/// For apps that already configure OpenTelemetry themselves: adds the same meters and bucket
/// boundaries to their own <see cref="MeterProviderBuilder"/>.
/// </summary>
public static class IncidentTelemetryMeterProviderBuilderExtensions
{
    /// <summary>
    /// Adds the built-in meters that carry incident signals and the library's own meters, with latency
    /// buckets that put every alert threshold (100 ms, 500 ms, 1 s, 2 s) on a boundary and a cardinality
    /// limit of 2000 series per instrument. The library's own meters report only when their services are
    /// registered (for example by <c>AddIncidentTelemetry()</c> or <c>AddIncidentTelemetryDataSource(...)</c>).
    /// </summary>
    /// <param name="builder">The app's meter provider builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static MeterProviderBuilder AddIncidentTelemetryInstrumentation(this MeterProviderBuilder builder)
        => builder.AddIncidentTelemetryInstrumentation(MetricsConstants.DefaultCardinalityLimit);

    internal static MeterProviderBuilder AddIncidentTelemetryInstrumentation(this MeterProviderBuilder builder, int cardinalityLimit)
    {
        ArgumentNullException.ThrowIfNull(builder);

        builder.AddMeter(MetricsConstants.BuiltInMeters);
        builder.AddMeter(MetricsConstants.OwnMeters);
        builder.AddView(instrument => SelectView(instrument, cardinalityLimit));
        return builder;
    }

    /// <summary>Picks the buckets and cardinality limit for one instrument of the meters this library adds.</summary>
    internal static MetricStreamConfiguration? SelectView(Instrument instrument, int cardinalityLimit)
    {
        var meter = instrument.Meter.Name;
        if (Array.IndexOf(MetricsConstants.BuiltInMeters, meter) < 0 && Array.IndexOf(MetricsConstants.OwnMeters, meter) < 0)
        {
            return null;
        }

        var isHistogram = instrument.GetType().IsGenericType
            && instrument.GetType().GetGenericTypeDefinition() == typeof(Histogram<>);
        if (isHistogram && instrument.Unit == "s")
        {
            return new ExplicitBucketHistogramConfiguration { Boundaries = MetricsConstants.LatencyBuckets, CardinalityLimit = cardinalityLimit };
        }

        if (isHistogram && instrument.Unit == "By")
        {
            return new ExplicitBucketHistogramConfiguration { Boundaries = MetricsConstants.SizeBuckets, CardinalityLimit = cardinalityLimit };
        }

        return new MetricStreamConfiguration { CardinalityLimit = cardinalityLimit };
    }
}
