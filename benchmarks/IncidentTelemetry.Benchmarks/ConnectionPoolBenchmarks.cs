using System.Data.Common;
using BenchmarkDotNet.Attributes;
using Microsoft.Data.Sqlite;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Benchmarks;

/// <summary>Open and close a pooled connection, bare and through the connection-pool decorator.</summary>
[MemoryDiagnoser]
public class ConnectionPoolBenchmarks
{
    private string file = string.Empty;
    private DbDataSource bare = null!;
    private DbDataSource decorated = null!;
    private MeterProvider? provider;

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
        this.decorated = SqliteFactory.Instance.CreateDataSource($"Data Source={this.file};Pooling=True").WithIncidentTelemetry("bench-db");
        this.OpenClose_Bare();
        this.OpenClose_Decorated();
        MetricsListening.Require(Database.DatabaseMetrics.Shared.WaitTime, this.Listening);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        this.bare.Dispose();
        this.decorated.Dispose();
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
}
