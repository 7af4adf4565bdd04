using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// The floor under every decorator: one measurement recorded by the OpenTelemetry SDK with precomputed tags, as the
/// library's decorators do (one pool tag; cache name and operation), and one reading of the clock.
/// </summary>
[MemoryDiagnoser]
public class RecordingFloorBenchmarks : IDisposable
{
    private readonly Meter meter = new(Internal.MetricsConstants.CacheMeterName);
    private Histogram<double> histogram = null!;
    private TagList oneTag;
    private TagList twoTags;
    private MeterProvider? provider;

    [GlobalSetup]
    public void Setup()
    {
        this.provider = MetricsListening.Start();
        this.histogram = this.meter.CreateHistogram<double>("bench.floor.duration", "s");
        this.oneTag = new TagList { { "db.client.connection.pool.name", "bench-db" } };
        this.twoTags = new TagList { { "incident.cache.name", "sessions" }, { "incident.cache.operation", "read" } };
        MetricsListening.Require(this.histogram, enabled: true);
    }

    /// <summary>BenchmarkDotNet's global cleanup.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        this.provider?.Dispose();
        this.meter.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public void Record_OneTag() => this.histogram.Record(0.003, in this.oneTag);

    [Benchmark]
    public void Record_TwoTags() => this.histogram.Record(0.003, in this.twoTags);

    /// <summary>One clock reading, as every measured duration takes two (on a VM the clock source decides its cost).</summary>
    [Benchmark]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet runs instance methods.")]
    public long ClockRead() => Stopwatch.GetTimestamp();

    /// <summary>Allocating a plain object of about a connection wrapper's size.</summary>
    [Benchmark]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet runs instance methods.")]
    public object Allocate_PlainObject() => new PlainWrapper();

    /// <summary>
    /// Allocating and disposing a <see cref="System.ComponentModel.Component"/> of the same size, as every
    /// <c>DbConnection</c> (and so the pool decorator's wrapper) is: a type with a finalizer.
    /// </summary>
    [Benchmark]
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "BenchmarkDotNet runs instance methods.")]
    public object Allocate_Component()
    {
        var component = new ComponentWrapper();
        component.Dispose();
        return component;
    }

    private sealed class PlainWrapper
    {
        public object? Inner { get; set; }

        public object? Pool { get; set; }

        public long Timestamp { get; set; }
    }

    private sealed class ComponentWrapper : System.ComponentModel.Component
    {
        public object? Inner { get; set; }

        public object? Pool { get; set; }

        public long Timestamp { get; set; }
    }
}
