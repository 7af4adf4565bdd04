using System.Diagnostics.Metrics;
using IncidentTelemetry.Catalogue;

namespace IncidentTelemetry.StackExchangeRedis;

/// <summary>
/// Owns the meter <c>IncidentTelemetry.Redis</c> and its three counters: what the app itself saw of its Redis
/// connections, per logical Redis name (<c>redis.name</c>). The meter comes from the container's
/// <see cref="IMeterFactory"/>, which disposes it with the container; there is no process-wide instance.
/// </summary>
internal sealed class RedisClientMetrics
{
    /// <summary>The meter's name; the core library's <c>AddIncidentTelemetry()</c> exports it.</summary>
    public const string MeterName = MeterNames.Redis;

    /// <summary>Attribute of every series: the name the app gave.</summary>
    public const string NameAttribute = AttributeNames.RedisName;

    private readonly Meter meter;

    public RedisClientMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.meter = meterFactory.Create(new MeterOptions(MeterName));

        this.Failures = this.meter.CreateCounter<long>(
            MetricCatalogue.RedisConnectionFailures.Instrument!,
            unit: MetricCatalogue.RedisConnectionFailures.Unit,
            description: MetricCatalogue.RedisConnectionFailures.Description);

        this.Restores = this.meter.CreateCounter<long>(
            MetricCatalogue.RedisConnectionRestores.Instrument!,
            unit: MetricCatalogue.RedisConnectionRestores.Unit,
            description: MetricCatalogue.RedisConnectionRestores.Description);

        this.PrimaryChanges = this.meter.CreateCounter<long>(
            MetricCatalogue.RedisPrimaryChanges.Instrument!,
            unit: MetricCatalogue.RedisPrimaryChanges.Unit,
            description: MetricCatalogue.RedisPrimaryChanges.Description);
    }

    public Counter<long> Failures { get; }

    public Counter<long> Restores { get; }

    public Counter<long> PrimaryChanges { get; }
}
