using System.Diagnostics.Metrics;
using IncidentTelemetry.Internal;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;

namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// One <see cref="MetricCollector{T}"/> per instrument of the database signal, on one container's
/// <see cref="IMeterFactory"/>: they see only the pools of that container, and only what came through the factory.
/// </summary>
internal sealed class DatabaseCollectors : IDisposable
{
    private const string Meter = MetricsConstants.DatabaseMeterName;

    public DatabaseCollectors(IMeterFactory meters)
    {
        this.WaitTime = new(meters, Meter, "db.client.connection.wait_time");
        this.UseTime = new(meters, Meter, "db.client.connection.use_time");
        this.OperationDuration = new(meters, Meter, "db.client.operation.duration");
        this.Timeouts = new(meters, Meter, "db.client.connection.timeouts");
        this.Count = new(meters, Meter, "db.client.connection.count");
        this.Max = new(meters, Meter, "db.client.connection.max");
        this.Pending = new(meters, Meter, "db.client.connection.pending_requests");
    }

    public MetricCollector<double> WaitTime { get; }

    public MetricCollector<double> UseTime { get; }

    public MetricCollector<double> OperationDuration { get; }

    public MetricCollector<long> Timeouts { get; }

    public MetricCollector<long> Count { get; }

    public MetricCollector<long> Max { get; }

    public MetricCollector<long> Pending { get; }

    /// <summary>Reads the three observable instruments now, as a scrape would, dropping what earlier readings left.</summary>
    public void Observe()
    {
        foreach (var gauge in new[] { this.Count, this.Max, this.Pending })
        {
            gauge.Clear();
            gauge.RecordObservableInstruments();
        }
    }

    /// <summary>Every attribute value any instrument has seen so far.</summary>
    public IEnumerable<string> AttributeValues()
        => this.WaitTime.GetMeasurementSnapshot().Select(m => m.Tags)
            .Concat(this.UseTime.GetMeasurementSnapshot().Select(m => m.Tags))
            .Concat(this.OperationDuration.GetMeasurementSnapshot().Select(m => m.Tags))
            .Concat(this.Timeouts.GetMeasurementSnapshot().Select(m => m.Tags))
            .Concat(this.Count.GetMeasurementSnapshot().Select(m => m.Tags))
            .Concat(this.Max.GetMeasurementSnapshot().Select(m => m.Tags))
            .Concat(this.Pending.GetMeasurementSnapshot().Select(m => m.Tags))
            .SelectMany(t => t.Values)
            .Select(v => v?.ToString() ?? string.Empty)
            .Distinct();

    public void Dispose()
    {
        this.WaitTime.Dispose();
        this.UseTime.Dispose();
        this.OperationDuration.Dispose();
        this.Timeouts.Dispose();
        this.Count.Dispose();
        this.Max.Dispose();
        this.Pending.Dispose();
    }
}

/// <summary>Reads attributes of what a <see cref="MetricCollector{T}"/> collected.</summary>
internal static class CollectedMeasurementExtensions
{
    /// <summary>The attribute's value as text, or null when the measurement does not carry it.</summary>
    public static string? Tag<T>(this CollectedMeasurement<T> measurement, string key)
        where T : struct
        => measurement.Tags.TryGetValue(key, out var value) ? value?.ToString() : null;
}
