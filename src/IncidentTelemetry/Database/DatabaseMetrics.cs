using System.Diagnostics;
using System.Diagnostics.Metrics;
using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentTelemetry.Database;

/// <summary>
/// Owns the meter <c>IncidentTelemetry.Database</c> and every instrument of the connection-pool signal.
/// The state of each pool (connections in use, maximum, opens waiting) is observed through observable
/// instruments whose callbacks walk the live pools: a pool registers in its constructor and leaves when
/// its data source is disposed. The meter comes from the container's <see cref="IMeterFactory"/>, which
/// disposes it with the container; there is no process-wide instance.
/// </summary>
/// <remarks>
/// Stable OpenTelemetry database semantic conventions: <c>db.client.connection.count</c>,
/// <c>db.client.connection.max</c>, <c>db.client.connection.pending_requests</c>,
/// <c>db.client.connection.timeouts</c>, <c>db.client.connection.wait_time</c>,
/// <c>db.client.connection.use_time</c>, <c>db.client.operation.duration</c>.
/// For providers that publish some of these themselves (Npgsql), the pool reports only the rest,
/// so that no series is reported twice.
/// </remarks>
internal sealed class DatabaseMetrics
{
    private readonly Meter meter;
    private readonly Lock gate = new();
    private ConnectionPoolState[] pools = [];

    public DatabaseMetrics(IMeterFactory meterFactory)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.meter = meterFactory.Create(new MeterOptions(MeterNames.Database));

        this.WaitTime = this.meter.CreateHistogram(
            MetricCatalogue.DbConnectionWaitTime.Instrument!,
            unit: MetricCatalogue.DbConnectionWaitTime.Unit,
            description: MetricCatalogue.DbConnectionWaitTime.Description,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricCatalogue.DbConnectionWaitTime.Buckets });

        this.UseTime = this.meter.CreateHistogram(
            MetricCatalogue.DbConnectionUseTime.Instrument!,
            unit: MetricCatalogue.DbConnectionUseTime.Unit,
            description: MetricCatalogue.DbConnectionUseTime.Description,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricCatalogue.DbConnectionUseTime.Buckets });

        this.Timeouts = this.meter.CreateCounter<long>(
            MetricCatalogue.DbConnectionTimeouts.Instrument!,
            unit: MetricCatalogue.DbConnectionTimeouts.Unit,
            description: MetricCatalogue.DbConnectionTimeouts.Description);

        this.OperationDuration = this.meter.CreateHistogram(
            MetricCatalogue.DbOperationDuration.Instrument!,
            unit: MetricCatalogue.DbOperationDuration.Unit,
            description: MetricCatalogue.DbOperationDuration.Description,
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = MetricCatalogue.DbOperationDuration.Buckets });

        this.meter.CreateObservableUpDownCounter(
            MetricCatalogue.DbConnectionCount.Instrument!,
            this.ObserveUsed,
            unit: MetricCatalogue.DbConnectionCount.Unit,
            description: MetricCatalogue.DbConnectionCount.Description);

        this.meter.CreateObservableUpDownCounter(
            MetricCatalogue.DbConnectionMax.Instrument!,
            this.ObserveMax,
            unit: MetricCatalogue.DbConnectionMax.Unit,
            description: MetricCatalogue.DbConnectionMax.Description);

        this.meter.CreateObservableUpDownCounter(
            MetricCatalogue.DbConnectionPendingRequests.Instrument!,
            this.ObservePending,
            unit: MetricCatalogue.DbConnectionPendingRequests.Unit,
            description: MetricCatalogue.DbConnectionPendingRequests.Description);
    }

    public Histogram<double> WaitTime { get; }

    public Histogram<double> UseTime { get; }

    public Counter<long> Timeouts { get; }

    public Histogram<double> OperationDuration { get; }

    /// <summary>
    /// What the signal registers (its row in <see cref="Signals"/>, and <c>AddIncidentTelemetryDataSource</c>): the
    /// meter owner, through which every data source registered with <c>AddIncidentTelemetryDataSource</c> reports.
    /// </summary>
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();
        services.TryAddSingleton(static sp => new DatabaseMetrics(sp.GetRequiredService<IMeterFactory>()));
    }

    /// <summary>Starts observing a pool; called from the pool's constructor.</summary>
    public void Register(ConnectionPoolState pool)
    {
        lock (this.gate)
        {
            this.pools = [.. this.pools, pool];
        }
    }

    /// <summary>Stops observing a pool; called when its data source is disposed.</summary>
    public void Unregister(ConnectionPoolState pool)
    {
        lock (this.gate)
        {
            var index = Array.IndexOf(this.pools, pool);
            if (index < 0)
            {
                return;
            }

            var next = new ConnectionPoolState[this.pools.Length - 1];
            Array.Copy(this.pools, 0, next, 0, index);
            Array.Copy(this.pools, index + 1, next, index, this.pools.Length - index - 1);
            this.pools = next;
        }
    }

    private List<Measurement<long>> ObserveUsed() => this.Observe(static pool => new Measurement<long>(pool.Used, pool.UsedStateTags));

    private List<Measurement<long>> ObserveMax()
        => this.Observe(static pool => pool.MaxConnections is { } max ? new Measurement<long>(max, pool.PoolTags) : null);

    private List<Measurement<long>> ObservePending() => this.Observe(static pool => new Measurement<long>(pool.Pending, pool.PoolTags));

    /// <summary>One measurement per live pool (none where <paramref name="measure"/> returns null), for a scrape.</summary>
    private List<Measurement<long>> Observe(Func<ConnectionPoolState, Measurement<long>?> measure)
    {
        var pools = Volatile.Read(ref this.pools);
        var result = new List<Measurement<long>>(pools.Length);
        foreach (var pool in pools)
        {
            if (measure(pool) is { } measurement)
            {
                result.Add(measurement);
            }
        }

        return result;
    }
}
