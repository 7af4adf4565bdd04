using System.Diagnostics.Metrics;
using IncidentTelemetry.Internal;

namespace IncidentTelemetry.StackExchangeRedis;

/// <summary>
/// Owns the meter <c>IncidentTelemetry.Redis</c> and its three counters: what the app itself saw of its Redis
/// connections, per logical Redis name (<c>redis.name</c>). The meter comes from the container's
/// <see cref="IMeterFactory"/>, which disposes it with the container; there is no process-wide instance.
/// </summary>
internal sealed class RedisClientMetrics
{
    /// <summary>The meter's name; the core library's <c>AddIncidentTelemetry()</c> exports it.</summary>
    public const string MeterName = MetricsConstants.RedisClientMeterName;

    /// <summary>Attribute of every series: the name the app gave.</summary>
    public const string NameAttribute = MetricsConstants.RedisNameAttribute;

    private readonly Meter meter;

    public RedisClientMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.meter = meterFactory.Create(new MeterOptions(MeterName));

        this.Failures = this.meter.CreateCounter<long>(
            MetricsConstants.RedisConnectionFailuresInstrument,
            unit: "{failure}",
            description: "Connections to a Redis server that failed or could not be made, by failure type (error.type), as the client saw them.");

        this.Restores = this.meter.CreateCounter<long>(
            MetricsConstants.RedisConnectionRestoresInstrument,
            unit: "{restore}",
            description: "Connections to a Redis server that the client re-established after a failure.");

        this.PrimaryChanges = this.meter.CreateCounter<long>(
            MetricsConstants.RedisPrimaryChangesInstrument,
            unit: "{change}",
            description: "Times the client followed the primary to a different endpoint (a Sentinel failover or switch-over).");
    }

    public Counter<long> Failures { get; }

    public Counter<long> Restores { get; }

    public Counter<long> PrimaryChanges { get; }
}
