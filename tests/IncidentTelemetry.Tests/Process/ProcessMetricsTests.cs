using System.Diagnostics.Metrics;
using IncidentTelemetry.Process;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Microsoft.Extensions.Time.Testing;

namespace IncidentTelemetry.Tests.Process;

public sealed class ProcessMetricsTests : IDisposable
{
    private const string Meter = "IncidentTelemetry.Process";
    private const string Limit = "incident.process.memory.limit";
    private const string Uptime = "process.uptime";

    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider time = new();

    private IMeterFactory Factory => this.services.GetRequiredService<IMeterFactory>();

    public void Dispose() => this.services.Dispose();

    [Fact]
    public void ObserveLimit_CgroupLimit_ReportsBytesWithSourceAttribute()
    {
        using var metrics = new ProcessMetrics(this.Factory, () => new MemoryLimit(268435456, MemoryLimitSource.CgroupV2), () => 999, this.time);
        using var collector = this.Collect<long>(Limit);

        var limit = ObserveOnce(collector);

        Assert.Equal(268435456, limit.Value);
        Assert.Equal("cgroup_v2", limit.Tags["incident.memory.limit.source"]);
        Assert.Equal("By", collector.Instrument?.Unit);
        Assert.Equal("IncidentTelemetry.Process", collector.Instrument?.Meter.Name);
        Assert.IsType<ObservableGauge<long>>(collector.Instrument);
        Assert.False(string.IsNullOrEmpty(collector.Instrument?.Description));
    }

    [Fact]
    public void ObserveLimit_V1Limit_ReportsCgroupV1Source()
    {
        using var metrics = new ProcessMetrics(this.Factory, () => new MemoryLimit(1 << 30, MemoryLimitSource.CgroupV1), () => 999, this.time);
        using var collector = this.Collect<long>(Limit);

        var limit = ObserveOnce(collector);

        Assert.Equal(1 << 30, limit.Value);
        Assert.Equal("cgroup_v1", limit.Tags["incident.memory.limit.source"]);
    }

    [Fact]
    public void ObserveLimit_NoCgroupLimit_FallsBackToGc()
    {
        using var metrics = new ProcessMetrics(this.Factory, () => null, () => 536870912, this.time);
        using var collector = this.Collect<long>(Limit);

        var limit = ObserveOnce(collector);

        Assert.Equal(536870912, limit.Value);
        Assert.Equal("gc", limit.Tags["incident.memory.limit.source"]);
    }

    [Fact]
    public void ObserveLimit_CgroupReadThrows_FallsBackToGcAndReportsEvent()
    {
        using var events = new LibraryErrors();
        using var metrics = new ProcessMetrics(this.Factory, () => throw new IOException("cgroup gone"), () => 536870912, this.time);
        using var collector = this.Collect<long>(Limit);

        var limit = ObserveOnce(collector);

        Assert.Equal(536870912, limit.Value);
        Assert.Equal("gc", limit.Tags["incident.memory.limit.source"]);
        Assert.Contains(events.Events, m => m.Contains("incident.process.memory.limit (cgroup)", StringComparison.Ordinal) && m.Contains("System.IO.IOException", StringComparison.Ordinal));
    }

    [Fact]
    public void ObserveLimit_EverySourceThrows_ReportsNothingAndDoesNotThrow()
    {
        using var metrics = new ProcessMetrics(this.Factory, () => throw new UnauthorizedAccessException(), () => throw new InvalidOperationException(), this.time);

        using var limit = this.Collect<long>(Limit);
        using var uptime = this.Collect<double>(Uptime);

        limit.RecordObservableInstruments();
        uptime.RecordObservableInstruments();

        Assert.Empty(limit.GetMeasurementSnapshot());
        Assert.NotEmpty(uptime.GetMeasurementSnapshot());
    }

    [Fact]
    public void ObserveLimit_WithinRefreshInterval_ReadsFilesOnceThenAgainAfterIt()
    {
        var reads = 0;
        long current = 100 * 1024 * 1024;
        using var metrics = new ProcessMetrics(this.Factory, () => { reads++; return new MemoryLimit(current, MemoryLimitSource.CgroupV2); }, () => 1, this.time);
        using var collector = this.Collect<long>(Limit);

        ObserveOnce(collector);
        current = 200 * 1024 * 1024; // a resize the cache has not seen yet
        this.time.Advance(ProcessMetrics.RefreshInterval - TimeSpan.FromSeconds(1));
        var cached = ObserveOnce(collector);
        Assert.Equal(1, reads);
        Assert.Equal(100 * 1024 * 1024, cached.Value);

        this.time.Advance(TimeSpan.FromSeconds(2));
        var refreshed = ObserveOnce(collector);
        Assert.Equal(2, reads);
        Assert.Equal(200 * 1024 * 1024, refreshed.Value);
    }

    [Fact]
    public void ObserveUptime_TimePasses_GrowsBySameAmount()
    {
        using var metrics = new ProcessMetrics(this.Factory, () => null, () => 1, this.time);
        using var collector = this.Collect<double>(Uptime);

        var before = ObserveOnce(collector);
        this.time.Advance(TimeSpan.FromSeconds(90));
        var after = ObserveOnce(collector);

        Assert.Equal("s", collector.Instrument?.Unit);
        Assert.IsType<ObservableGauge<double>>(collector.Instrument);
        Assert.Empty(before.Tags);
        Assert.True(before.Value > 0, $"uptime counts from process start, so it is positive; was {before.Value}");
        Assert.Equal(90, after.Value - before.Value, precision: 6);
    }

    [Fact]
    public void Dispose_Container_DisposesMeter()
    {
        var container = new ServiceCollection().AddMetrics().AddSingleton<ProcessMetrics>().BuildServiceProvider();
        var factory = container.GetRequiredService<IMeterFactory>();
        container.GetRequiredService<ProcessMetrics>();
        using var limit = new MetricCollector<long>(factory, Meter, Limit);
        using var uptime = new MetricCollector<double>(factory, Meter, Uptime);
        limit.RecordObservableInstruments();
        uptime.RecordObservableInstruments();
        Assert.NotEmpty(limit.GetMeasurementSnapshot(clear: true));
        Assert.NotEmpty(uptime.GetMeasurementSnapshot(clear: true));

        container.Dispose();

        limit.RecordObservableInstruments();
        uptime.RecordObservableInstruments();
        Assert.Empty(limit.GetMeasurementSnapshot());
        Assert.Empty(uptime.GetMeasurementSnapshot());
    }

    [Fact]
    public void WorkingSet_RuntimeMeter_IsBytesGaugeThatPrometheusNamesDotnetProcessMemoryWorkingSetBytes()
    {
        // The runtime's meter is not from a factory: no scope.
        using var collector = new MetricCollector<long>(meterScope: null, "System.Runtime", "dotnet.process.memory.working_set");
        collector.RecordObservableInstruments();
        var workingSet = collector.Instrument;
        var value = collector.LastMeasurement?.Value ?? 0;

        Assert.NotNull(workingSet);
        Assert.Equal("By", workingSet.Unit);

        // Non-monotonic, so Prometheus gets a gauge without _total; unit By adds the _bytes suffix.
        Assert.True(workingSet is ObservableUpDownCounter<long> or ObservableGauge<long>, workingSet.GetType().Name);
        Assert.Equal("dotnet_process_memory_working_set_bytes", workingSet.Name.Replace('.', '_') + "_bytes");
        Assert.True(value > 1024 * 1024, $"a .NET process uses more than 1 MiB; saw {value}");
    }

    /// <summary>Reads the observable instrument once, as a scrape would, and returns its one measurement.</summary>
    private static CollectedMeasurement<T> ObserveOnce<T>(MetricCollector<T> collector)
        where T : struct
    {
        collector.Clear();
        collector.RecordObservableInstruments();
        return Assert.Single(collector.GetMeasurementSnapshot());
    }

    private MetricCollector<T> Collect<T>(string instrument)
        where T : struct
        => new(this.Factory, Meter, instrument);
}
