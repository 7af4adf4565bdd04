using System.Diagnostics.Metrics;
using System.Diagnostics.Tracing;
using IncidentTelemetry.Process;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace IncidentTelemetry.Tests.Process;

public sealed class ProcessMetricsTests : IDisposable
{
    private readonly ServiceProvider services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly FakeTimeProvider time = new();

    private IMeterFactory Factory => this.services.GetRequiredService<IMeterFactory>();

    public void Dispose() => this.services.Dispose();

    [Fact]
    public void ObserveLimit_CgroupLimit_ReportsBytesWithSourceAttribute()
    {
        using var metrics = new ProcessMetrics(this.Factory, () => new MemoryLimit(268435456, MemoryLimitSource.CgroupV2), () => 999, this.time);

        var limit = Assert.Single(GaugeReader.Observe(this.Factory), m => m.Instrument.Name == "incident.process.memory.limit");

        Assert.Equal(268435456, limit.Value);
        Assert.Equal("cgroup_v2", limit.Tags["incident.memory.limit.source"]);
        Assert.Equal("By", limit.Instrument.Unit);
        Assert.Equal("IncidentTelemetry.Process", limit.Instrument.Meter.Name);
        Assert.IsType<ObservableGauge<long>>(limit.Instrument);
        Assert.False(string.IsNullOrEmpty(limit.Instrument.Description));
    }

    [Fact]
    public void ObserveLimit_V1Limit_ReportsCgroupV1Source()
    {
        using var metrics = new ProcessMetrics(this.Factory, () => new MemoryLimit(1 << 30, MemoryLimitSource.CgroupV1), () => 999, this.time);

        var limit = Assert.Single(GaugeReader.Observe(this.Factory), m => m.Instrument.Name == "incident.process.memory.limit");

        Assert.Equal(1 << 30, limit.Value);
        Assert.Equal("cgroup_v1", limit.Tags["incident.memory.limit.source"]);
    }

    [Fact]
    public void ObserveLimit_NoCgroupLimit_FallsBackToGc()
    {
        using var metrics = new ProcessMetrics(this.Factory, () => null, () => 536870912, this.time);

        var limit = Assert.Single(GaugeReader.Observe(this.Factory), m => m.Instrument.Name == "incident.process.memory.limit");

        Assert.Equal(536870912, limit.Value);
        Assert.Equal("gc", limit.Tags["incident.memory.limit.source"]);
    }

    [Fact]
    public void ObserveLimit_CgroupReadThrows_FallsBackToGcAndReportsEvent()
    {
        using var events = new LibraryEvents();
        using var metrics = new ProcessMetrics(this.Factory, () => throw new IOException("cgroup gone"), () => 536870912, this.time);

        var limit = Assert.Single(GaugeReader.Observe(this.Factory), m => m.Instrument.Name == "incident.process.memory.limit");

        Assert.Equal(536870912, limit.Value);
        Assert.Equal("gc", limit.Tags["incident.memory.limit.source"]);
        Assert.Contains(events.Messages, m => m.Contains("incident.process.memory.limit (cgroup)", StringComparison.Ordinal) && m.Contains("System.IO.IOException", StringComparison.Ordinal));
    }

    [Fact]
    public void ObserveLimit_EverySourceThrows_ReportsNothingAndDoesNotThrow()
    {
        using var metrics = new ProcessMetrics(this.Factory, () => throw new UnauthorizedAccessException(), () => throw new InvalidOperationException(), this.time);

        var observed = GaugeReader.Observe(this.Factory);

        Assert.DoesNotContain(observed, m => m.Instrument.Name == "incident.process.memory.limit");
        Assert.Contains(observed, m => m.Instrument.Name == "process.uptime");
    }

    [Fact]
    public void ObserveLimit_WithinRefreshInterval_ReadsFilesOnceThenAgainAfterIt()
    {
        var reads = 0;
        long current = 100 * 1024 * 1024;
        using var metrics = new ProcessMetrics(this.Factory, () => { reads++; return new MemoryLimit(current, MemoryLimitSource.CgroupV2); }, () => 1, this.time);

        GaugeReader.Observe(this.Factory);
        current = 200 * 1024 * 1024; // a resize the cache has not seen yet
        this.time.Advance(ProcessMetrics.RefreshInterval - TimeSpan.FromSeconds(1));
        var cached = Assert.Single(GaugeReader.Observe(this.Factory), m => m.Instrument.Name == "incident.process.memory.limit");
        Assert.Equal(1, reads);
        Assert.Equal(100 * 1024 * 1024, cached.Value);

        this.time.Advance(TimeSpan.FromSeconds(2));
        var refreshed = Assert.Single(GaugeReader.Observe(this.Factory), m => m.Instrument.Name == "incident.process.memory.limit");
        Assert.Equal(2, reads);
        Assert.Equal(200 * 1024 * 1024, refreshed.Value);
    }

    [Fact]
    public void ObserveUptime_TimePasses_GrowsBySameAmount()
    {
        using var metrics = new ProcessMetrics(this.Factory, () => null, () => 1, this.time);

        var before = Assert.Single(GaugeReader.Observe(this.Factory), m => m.Instrument.Name == "process.uptime");
        this.time.Advance(TimeSpan.FromSeconds(90));
        var after = Assert.Single(GaugeReader.Observe(this.Factory), m => m.Instrument.Name == "process.uptime");

        Assert.Equal("s", before.Instrument.Unit);
        Assert.IsType<ObservableGauge<double>>(before.Instrument);
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
        Assert.NotEmpty(GaugeReader.Observe(factory));

        container.Dispose();

        Assert.Empty(GaugeReader.Observe(factory));
    }

    [Fact]
    public void WorkingSet_RuntimeMeter_IsBytesGaugeThatPrometheusNamesDotnetProcessMemoryWorkingSetBytes()
    {
        Instrument? workingSet = null;
        long value = 0;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == "System.Runtime" && instrument.Name == "dotnet.process.memory.working_set")
                {
                    workingSet = instrument;
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((_, v, _, _) => value = v);
        listener.Start();
        listener.RecordObservableInstruments();

        Assert.NotNull(workingSet);
        Assert.Equal("By", workingSet.Unit);

        // Non-monotonic, so Prometheus gets a gauge without _total; unit By adds the _bytes suffix.
        Assert.True(workingSet is ObservableUpDownCounter<long> or ObservableGauge<long>, workingSet.GetType().Name);
        Assert.Equal("dotnet_process_memory_working_set_bytes", workingSet.Name.Replace('.', '_') + "_bytes");
        Assert.True(value > 1024 * 1024, $"a .NET process uses more than 1 MiB; saw {value}");
    }

    /// <summary>Collects the library's EventSource messages.</summary>
    private sealed class LibraryEvents : EventListener
    {
        public List<string> Messages { get; } = [];

        protected override void OnEventSourceCreated(EventSource eventSource)
        {
            if (eventSource.Name == "IncidentTelemetry")
            {
                this.EnableEvents(eventSource, EventLevel.Verbose);
            }
        }

        protected override void OnEventWritten(EventWrittenEventArgs eventData)
        {
            if (eventData.EventSource.Name == "IncidentTelemetry")
            {
                lock (this.Messages)
                {
                    this.Messages.Add(string.Format(System.Globalization.CultureInfo.InvariantCulture, eventData.Message ?? string.Empty, [.. eventData.Payload ?? []]));
                }
            }
        }
    }
}
