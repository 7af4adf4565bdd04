using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Security.Cryptography;
using IncidentTelemetry.Internal;
using IncidentTelemetry.Prometheus;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// A real MeterProvider whose reader is the library's Prometheus exporter, filled with a given number of
/// series (attribute sets): 40 % counters, 30 % gauges, 30 % latency histograms with the library's 16
/// default buckets. Attributes look like ASP.NET Core's: a route template, a method, an integer status code.
/// </summary>
internal sealed class ScrapeFixture : IDisposable
{
    private static readonly string[] Methods = ["GET", "POST", "PUT", "DELETE"];
    private static readonly int[] Statuses = [200, 201, 204, 301, 400, 401, 404, 409, 500, 503];

    private readonly Meter meter;
    private readonly MeterProvider provider;

    public ScrapeFixture(int series)
    {
        this.meter = new Meter($"IncidentTelemetry.Benchmarks.Scrape.{series}", "1.0.0");
        this.Exporter = new PrometheusExporter(TimeSpan.Zero);
        var perKind = series / 10;
        var limit = (perKind * 4) + 10;
        this.provider = Sdk.CreateMeterProviderBuilder()
            .AddMeter(this.meter.Name)
            .AddView(instrument => instrument is Histogram<double>
                ? new ExplicitBucketHistogramConfiguration { Boundaries = MetricsConstants.LatencyBuckets, CardinalityLimit = limit }
                : new MetricStreamConfiguration { CardinalityLimit = limit })
            .AddReader(new BaseExportingMetricReader(this.Exporter) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative })
            .Build()!;

        Fill(this.meter, series);
    }

    /// <summary>Records <paramref name="series"/> series on <paramref name="meter"/>: 40 % counters, 30 % gauges, 30 % histograms.</summary>
    public static void Fill(Meter meter, int series)
    {
        var perKind = series / 10;
        var counter = meter.CreateCounter<long>("shop.requests.handled", "{request}", "Requests handled.");
        var gauge = meter.CreateUpDownCounter<long>("shop.requests.active", "{request}", "Requests in flight.");
        var histogram = meter.CreateHistogram<double>("shop.request.duration", "s", "Request duration.");
        var random = new Random(42);
        for (var i = 0; i < perKind * 4; i++)
        {
            counter.Add(1 + random.Next(1000), Tags(i));
        }

        for (var i = 0; i < perKind * 3; i++)
        {
            gauge.Add(random.Next(64), Tags(i));
        }

        for (var i = 0; i < perKind * 3; i++)
        {
            var tags = Tags(i);
            for (var j = 0; j < 4; j++)
            {
                histogram.Record(random.NextDouble() * random.NextDouble() * 3, tags);
            }
        }
    }

    public PrometheusExporter Exporter { get; }

    /// <summary>Collects and serializes once; returns the response size in bytes.</summary>
    public int Scrape(bool openMetrics)
    {
        var result = this.Exporter.ScrapeAsync(openMetrics, CancellationToken.None).GetAwaiter().GetResult();
        try
        {
            return result.Content.Length;
        }
        finally
        {
            result.Release();
        }
    }

    /// <summary>Collects and serializes once; returns the number of lines and a hash of the response.</summary>
    public (int Lines, string Sha256) Describe(bool openMetrics)
    {
        var result = this.Exporter.ScrapeAsync(openMetrics, CancellationToken.None).GetAwaiter().GetResult();
        try
        {
            var content = result.Content.Span;
            return (content.Count((byte)'\n'), Convert.ToHexStringLower(SHA256.HashData(content))[..12]);
        }
        finally
        {
            result.Release();
        }
    }

    public void Dispose()
    {
        this.provider.Dispose();
        this.meter.Dispose();
    }

    private static TagList Tags(int i) => new()
    {
        { "http.route", $"/api/resource{i / 40}/{{id}}" },
        { "http.request.method", Methods[i % Methods.Length] },
        { "http.response.status_code", Statuses[(i / Methods.Length) % Statuses.Length] },
    };
}
