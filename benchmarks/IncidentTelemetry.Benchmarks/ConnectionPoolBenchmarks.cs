using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using BenchmarkDotNet.Attributes;
using IncidentTelemetry.Database;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// Open and close a pooled connection, bare and through the connection-pool decorator, next to the floor of what the
/// decorator must do on that path: the three clock readings (open starts, open ends = use starts, use ends) and the
/// two histogram records (wait time, use time) on the same SDK instruments with the same precomputed pool tag.
/// <c>OpenClose_BarePlusFloor</c> does exactly that around a bare open and close, so that
/// (Decorated − Bare) ÷ (BarePlusFloor − Bare) is the decorator's cost in floors, from one run.
/// </summary>
[MemoryDiagnoser]
public class ConnectionPoolBenchmarks
{
    private string file = string.Empty;
    private DbDataSource bare = null!;
    private DbDataSource decorated = null!;
    private MeterProvider? provider;
    private ServiceProvider? services;
    private Histogram<double> waitTime = null!;
    private Histogram<double> useTime = null!;
    private TagList poolTags;

    /// <summary>
    /// Whether a MeterProvider listens (as in a service scraped by Prometheus). Without one, the decorator
    /// still wraps the connection and counts it, but records no histogram: the difference is the recording.
    /// </summary>
    [Params(true, false)]
    public bool Listening { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        this.provider = this.Listening ? MetricsListening.Start() : null;
        this.file = Path.Combine(Path.GetTempPath(), $"bench-{Environment.ProcessId}.db");
        this.bare = SqliteFactory.Instance.CreateDataSource($"Data Source={this.file};Pooling=True");

        // What the README's AddIncidentTelemetryDataSource(...) line resolves.
        var connectionString = $"Data Source={this.file};Pooling=True";
        this.services = new ServiceCollection()
            .AddIncidentTelemetryDataSource(_ => SqliteFactory.Instance.CreateDataSource(connectionString), "bench-db")
            .BuildServiceProvider();
        this.decorated = this.services.GetRequiredService<DbDataSource>();
        var pool = ((TelemetryDataSource)this.decorated).Pool;
        this.waitTime = pool.Metrics.WaitTime;
        this.useTime = pool.Metrics.UseTime;
        this.poolTags = pool.PoolTags;

        this.OpenClose_Bare();
        this.OpenClose_Decorated();
        this.OpenClose_BarePlusFloor();
        MetricsListening.Require(this.waitTime, this.Listening);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        this.bare.Dispose();
        this.services?.Dispose();
        this.provider?.Dispose();
        SqliteConnection.ClearAllPools();
        File.Delete(this.file);
    }

    [Benchmark(Baseline = true)]
    public void OpenClose_Bare()
    {
        using var connection = this.bare.OpenConnection();
    }

    [Benchmark]
    public void OpenClose_Decorated()
    {
        using var connection = this.decorated.OpenConnection();
    }

    /// <summary>The bare open and close with the floor around it: three clock readings and two records (when listened to).</summary>
    [Benchmark]
    public void OpenClose_BarePlusFloor()
    {
        var start = this.waitTime.Enabled ? Stopwatch.GetTimestamp() : 0;
        var connection = this.bare.OpenConnection();
        long handedOver = 0;
        if (start != 0)
        {
            handedOver = Stopwatch.GetTimestamp();
            this.waitTime.Record(Stopwatch.GetElapsedTime(start, handedOver).TotalSeconds, in this.poolTags);
        }

        connection.Dispose();
        if (handedOver != 0)
        {
            this.useTime.Record(Stopwatch.GetElapsedTime(handedOver).TotalSeconds, in this.poolTags);
        }
    }

    /// <summary>The floor alone, no connection: three clock readings and two records (nothing when nobody listens).</summary>
    [Benchmark]
    public void Floor_ThreeClockReadsTwoRecords()
    {
        if (!this.waitTime.Enabled)
        {
            return;
        }

        var start = Stopwatch.GetTimestamp();
        var handedOver = Stopwatch.GetTimestamp();
        this.waitTime.Record(Stopwatch.GetElapsedTime(start, handedOver).TotalSeconds, in this.poolTags);
        this.useTime.Record(Stopwatch.GetElapsedTime(handedOver).TotalSeconds, in this.poolTags);
    }
}
