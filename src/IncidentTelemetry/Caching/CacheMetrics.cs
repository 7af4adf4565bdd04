using System.Diagnostics.Metrics;
using IncidentTelemetry.Catalogue;

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
    public const string NameAttribute = AttributeNames.CacheName;
    public const string OperationAttribute = AttributeNames.CacheOperation;

    private readonly Meter meter;

    /// <summary>Creates every instrument of the signal on the meter from <paramref name="meterFactory"/>, which disposes it with the container.</summary>
    public CacheMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.meter = meterFactory.Create(new MeterOptions(MeterNames.Caching));

        this.PayloadSize = this.meter.CreateHistogram<long>(
            MetricCatalogue.CachePayloadSize.Instrument!,
            unit: MetricCatalogue.CachePayloadSize.Unit,
            description: MetricCatalogue.CachePayloadSize.Description,
            advice: new InstrumentAdvice<long> { HistogramBucketBoundaries = MetricCatalogue.CachePayloadSize.Buckets!.Select(static b => (long)b).ToArray() });

        this.OperationDuration = this.meter.CreateHistogram(
            MetricCatalogue.CacheOperationDuration.Instrument!,
            unit: MetricCatalogue.CacheOperationDuration.Unit,
            description: MetricCatalogue.CacheOperationDuration.Description,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricCatalogue.CacheOperationDuration.Buckets });
    }

    public Histogram<long> PayloadSize { get; }

    public Histogram<double> OperationDuration { get; }
}
