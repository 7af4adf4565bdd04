using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// Get and set of a 2 KB session payload (the sample's default) on the in-memory distributed cache, bare and
/// through the cache decorator, synchronous and asynchronous (ASP.NET Core session uses the asynchronous
/// calls), with a real MeterProvider listening.
/// </summary>
[MemoryDiagnoser]
public class CacheBenchmarks : IDisposable
{
    private static readonly DistributedCacheEntryOptions Entry = new() { SlidingExpiration = TimeSpan.FromMinutes(20) };
    private readonly byte[] payload = new byte[2048];
    private MemoryDistributedCache memory = null!;
    private IDistributedCache decorated = null!;
    private MeterProvider? provider;
    private ServiceProvider? services;

    [GlobalSetup]
    public void Setup()
    {
        this.provider = MetricsListening.Start();
        this.memory = new MemoryDistributedCache(Options.Create(new MemoryDistributedCacheOptions()));
        // What AddIncidentTelemetryDistributedCache("sessions") resolves: the meter from the container's IMeterFactory.
        this.services = new ServiceCollection()
            .AddSingleton<IDistributedCache>(this.memory)
            .AddIncidentTelemetryDistributedCache("sessions")
            .BuildServiceProvider();
        this.decorated = this.services.GetRequiredService<IDistributedCache>();
        this.memory.Set("session-1", this.payload, Entry);
        MetricsListening.Require(this.services.GetRequiredService<Caching.CacheMetrics>().OperationDuration, enabled: true);
    }

    /// <summary>BenchmarkDotNet's global cleanup.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        this.provider?.Dispose();
        this.services?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public byte[]? Get_Bare() => this.memory.Get("session-1");

    [Benchmark]
    public byte[]? Get_Decorated() => this.decorated.Get("session-1");

    [Benchmark]
    public void Set_Bare() => this.memory.Set("session-1", this.payload, Entry);

    [Benchmark]
    public void Set_Decorated() => this.decorated.Set("session-1", this.payload, Entry);

    [Benchmark]
    public Task<byte[]?> GetAsync_Bare() => this.memory.GetAsync("session-1");

    [Benchmark]
    public Task<byte[]?> GetAsync_Decorated() => this.decorated.GetAsync("session-1");

    [Benchmark]
    public Task SetAsync_Bare() => this.memory.SetAsync("session-1", this.payload, Entry);

    [Benchmark]
    public Task SetAsync_Decorated() => this.decorated.SetAsync("session-1", this.payload, Entry);
}
