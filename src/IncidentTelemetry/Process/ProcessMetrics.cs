using System.Diagnostics;
using System.Diagnostics.Metrics;
using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentTelemetry.Process;

/// <summary>
/// Owns the <c>IncidentTelemetry.Process</c> meter: the memory limit the process runs under and its uptime.
/// Together with the runtime's <c>dotnet.process.memory.working_set</c> they give "memory approaching the
/// limit", "memory growing" and "restarted" without kube-state-metrics or cAdvisor (week 50, incident 2).
/// </summary>
internal sealed class ProcessMetrics : IDisposable
{
    /// <summary>How long a limit read from cgroup files is reused; limits change only on a resize.</summary>
    internal static readonly TimeSpan RefreshInterval = TimeSpan.FromSeconds(30);

    private const string LimitInstrument = InstrumentNames.ProcessMemoryLimit;
    private const string SourceAttribute = AttributeNames.MemoryLimitSource;

    private static readonly KeyValuePair<string, object?>[][] SourceTags =
    [
        [new(SourceAttribute, "cgroup_v2")],
        [new(SourceAttribute, "cgroup_v1")],
        [new(SourceAttribute, "gc")],
    ];

    private readonly Meter meter;
    private readonly Func<MemoryLimit?> readCgroup;
    private readonly Func<long> readGc;
    private readonly TimeProvider time;
    private readonly long createdAt;
    private readonly TimeSpan uptimeAtCreation;
    private readonly Lock refreshLock = new();
    private volatile Snapshot? snapshot;

    public ProcessMetrics(IMeterFactory meterFactory)
        : this(meterFactory, CgroupLimitOrNull, GcLimit, TimeProvider.System)
    {
    }

    internal ProcessMetrics(IMeterFactory meterFactory, Func<MemoryLimit?> readCgroup, Func<long> readGc, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(meterFactory);
        this.readCgroup = readCgroup;
        this.readGc = readGc;
        this.time = time;
        this.createdAt = time.GetTimestamp();
        this.uptimeAtCreation = UptimeSoFar();

        this.meter = meterFactory.Create(MeterNames.Process);
        this.meter.CreateObservableGauge(
            LimitInstrument,
            this.ObserveLimit,
            unit: MetricCatalogue.ProcessMemoryLimit.Unit,
            description: MetricCatalogue.ProcessMemoryLimit.Description);

        // Semantic convention process.uptime: a gauge whose value drops on every restart.
        this.meter.CreateObservableGauge(
            MetricCatalogue.ProcessUptime.Instrument!,
            this.ObserveUptime,
            unit: MetricCatalogue.ProcessUptime.Unit,
            description: MetricCatalogue.ProcessUptime.Description);
    }

    /// <summary>
    /// What the signal registers (its row in <see cref="Signals"/>): the owner of the memory limit and uptime gauges;
    /// the working set itself comes from the runtime's System.Runtime meter.
    /// </summary>
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ProcessMetrics>();
    }

    public void Dispose() => this.meter.Dispose();

    /// <summary>The limit as the next scrape reports it (cached for <see cref="RefreshInterval"/>).</summary>
    internal MemoryLimit? CurrentLimit() => this.Current().Limit;

    private static MemoryLimit? CgroupLimitOrNull() =>
        OperatingSystem.IsLinux() ? CgroupMemoryLimitReader.ForThisProcess().Read() : null;

    private static long GcLimit() => GC.GetGCMemoryInfo().TotalAvailableMemoryBytes;

    private static TimeSpan UptimeSoFar()
    {
        try
        {
            using var process = System.Diagnostics.Process.GetCurrentProcess();
            var uptime = DateTime.Now - process.StartTime;
            return uptime > TimeSpan.Zero ? uptime : TimeSpan.Zero;
        }
        catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException or System.ComponentModel.Win32Exception)
        {
            // Counted from the first use of the library instead of from process start.
            IncidentTelemetryEventSource.Log.CallbackFailed($"{InstrumentNames.ProcessUptime} start time", ex);
            return TimeSpan.Zero;
        }
    }

    private IEnumerable<Measurement<long>> ObserveLimit() => this.Current().Measurements;

    private double ObserveUptime() => (this.uptimeAtCreation + this.time.GetElapsedTime(this.createdAt)).TotalSeconds;

    private Snapshot Current()
    {
        var current = this.snapshot;
        var now = this.time.GetTimestamp();
        if (current is not null && this.time.GetElapsedTime(current.ReadAt, now) < RefreshInterval)
        {
            return current;
        }

        lock (this.refreshLock)
        {
            current = this.snapshot;
            if (current is not null && this.time.GetElapsedTime(current.ReadAt, now) < RefreshInterval)
            {
                return current;
            }

            var fresh = new Snapshot(now, this.ReadLimit(current?.Limit));
            this.snapshot = fresh;
            return fresh;
        }
    }

    private MemoryLimit? ReadLimit(MemoryLimit? previous)
    {
        try
        {
            if (this.readCgroup() is { } cgroup)
            {
                return cgroup;
            }
        }
        catch (Exception ex)
        {
            // Unreadable cgroup files: fall through to the GC's view, which also honours container limits.
            IncidentTelemetryEventSource.Log.CallbackFailed(LimitInstrument + " (cgroup)", ex);
        }

        try
        {
            var gc = this.readGc();
            return gc > 0 ? new MemoryLimit(gc, MemoryLimitSource.Gc) : previous;
        }
        catch (Exception ex)
        {
            IncidentTelemetryEventSource.Log.CallbackFailed(LimitInstrument + " (gc)", ex);
            return previous;
        }
    }

    /// <summary>One read of the limit, with the measurement a scrape returns precomputed.</summary>
    private sealed class Snapshot
    {
        public Snapshot(long readAt, MemoryLimit? limit)
        {
            this.ReadAt = readAt;
            this.Limit = limit;
            this.Measurements = limit is { } l
                ? [new Measurement<long>(l.Bytes, SourceTags[(int)l.Source])]
                : [];
        }

        public long ReadAt { get; }

        public MemoryLimit? Limit { get; }

        public Measurement<long>[] Measurements { get; }
    }
}
