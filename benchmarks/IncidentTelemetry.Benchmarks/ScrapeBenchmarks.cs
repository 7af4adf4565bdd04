using BenchmarkDotNet.Attributes;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// One scrape of the Prometheus endpoint without HTTP: the SDK's collection and the serialization, for
/// 1,000 to 100,000 series, in the text format and in OpenMetrics. The response is never cached here.
/// </summary>
[MemoryDiagnoser]
public class ScrapeBenchmarks : IDisposable
{
    private ScrapeFixture fixture = null!;

    [Params(1_000, 10_000, 100_000)]
    public int Series { get; set; }

    [Params(false, true)]
    public bool OpenMetrics { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        this.fixture = new ScrapeFixture(this.Series);
        this.fixture.Scrape(this.OpenMetrics);
    }

    /// <summary>BenchmarkDotNet's global cleanup.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        this.fixture?.Dispose();
        GC.SuppressFinalize(this);
    }

    [Benchmark]
    public int Scrape() => this.fixture.Scrape(this.OpenMetrics);
}
