using System.Diagnostics.Metrics;
using IncidentTelemetry.Internal;

namespace IncidentTelemetry.Caching;

/// <summary>
/// Owns the meter <c>IncidentTelemetry.Caching</c>: the payload size and the duration of each operation of a
/// decorated <c>IDistributedCache</c> (week 49, incident 1: session payloads grew until Redis ran out of memory).
/// </summary>
/// <remarks>
/// No semantic convention covers distributed-cache payloads, hence the <c>incident.*</c> names. Attributes:
/// <c>incident.cache.name</c> (given by the app, validated), <c>incident.cache.operation</c> (read, write, refresh,
/// remove) and, on failures, <c>error.type</c> (the exception's type). Never the key.
/// </remarks>
internal sealed class CacheMetrics
{
    public const string NameAttribute = MetricsConstants.CacheNameAttribute;
    public const string OperationAttribute = MetricsConstants.CacheOperationAttribute;

    private readonly Meter meter;

    /// <summary>Creates every instrument of the signal on the meter from <paramref name="meterFactory"/>, which disposes it with the container.</summary>
    public CacheMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.meter = meterFactory.Create(new MeterOptions(MetricsConstants.CacheMeterName));

        this.PayloadSize = this.meter.CreateHistogram(
            MetricsConstants.CachePayloadSizeInstrument,
            unit: "By",
            description: "Size of the value read from or written to the distributed cache (reads that miss record nothing).",
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = MetricsConstants.SizeBuckets.Select(static b => (long)b).ToArray() });

        this.OperationDuration = this.meter.CreateHistogram(
            MetricsConstants.CacheOperationDurationInstrument,
            unit: "s",
            description: "Duration of distributed-cache operations, failed ones with error.type.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricsConstants.LatencyBuckets });
    }

    public Histogram<long> PayloadSize { get; }

    public Histogram<double> OperationDuration { get; }
}
