using System.Diagnostics.Metrics;
using IncidentTelemetry.Internal;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.EndpointLatency;

/// <summary>
/// Endpoint latency: ASP.NET Core measures <c>http.server.request.duration</c> (meter
/// <c>Microsoft.AspNetCore.Hosting</c>, one of <see cref="MetricsConstants.BuiltInMeters"/>); the library's part is
/// the view that puts every alert threshold on a bucket boundary. The same view gives every other seconds histogram
/// of the added meters (database, HTTP client) those boundaries, byte histograms the size buckets, and every
/// instrument the cardinality limit.
/// </summary>
internal static class HistogramViews
{
    /// <summary>Picks the buckets and cardinality limit for one instrument of the meters this library adds.</summary>
    public static MetricStreamConfiguration? SelectView(Instrument instrument, int cardinalityLimit)
    {
        var meter = instrument.Meter.Name;
        if (Array.IndexOf(MetricsConstants.BuiltInMeters, meter) < 0 && Array.IndexOf(Signals.OwnMeters, meter) < 0)
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
