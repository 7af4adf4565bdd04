using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using BenchmarkDotNet.Attributes;
using IncidentTelemetry.Internal;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// Who answers the scrape in <see cref="HttpScrapeBenchmarks"/>: OpenTelemetry's exporter, the only endpoint the
/// library serves. Kept as a parameter so that another endpoint (an app's own) can be measured beside it in one run.
/// </summary>
public enum ScrapeEndpointKind
{
    /// <summary>OpenTelemetry.Exporter.Prometheus.AspNetCore's exporter and middleware (gzip built in).</summary>
    Package,
}

/// <summary>
/// One scrape over HTTP on loopback Kestrel, the response read to its end by an HttpClient that does not
/// decompress: the service's side of a scrape (collection, serialization, compression, sending), the same
/// series as <see cref="ScrapeFixture"/> records, the response cache off.
/// </summary>
[MemoryDiagnoser]
public class HttpScrapeBenchmarks : IDisposable
{
    private Meter? meter;
    private MeterProvider? provider;
    private WebApplication? app;
    private HttpClient? client;
    private Uri? uri;

    [Params(1_000, 10_000, 100_000)]
    public int Series { get; set; }

    [Params(ScrapeEndpointKind.Package)]
    public ScrapeEndpointKind Endpoint { get; set; }

    [Params(false, true)]
    public bool Gzip { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        this.meter = new Meter($"IncidentTelemetry.Benchmarks.HttpScrape.{this.Series}", "1.0.0");
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var limit = ((this.Series / 10) * 4) + 10;
        var metrics = Sdk.CreateMeterProviderBuilder()
            .AddMeter(this.meter.Name)
            .AddView(instrument => instrument is Histogram<double>
                ? new ExplicitBucketHistogramConfiguration { Boundaries = MetricsConstants.LatencyBuckets, CardinalityLimit = limit }
                : new MetricStreamConfiguration { CardinalityLimit = limit });
        metrics.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0);

        this.provider = metrics.Build()!;
        ScrapeFixture.Fill(this.meter, this.Series);

        this.app = builder.Build();
        this.app.UseOpenTelemetryPrometheusScrapingEndpoint(this.provider, predicate: null, path: "/metrics", configureBranchedPipeline: null, optionsName: null);

        this.app.StartAsync().GetAwaiter().GetResult();
        var address = this.app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        this.uri = new Uri(address + "/metrics");
        this.client = new HttpClient(new SocketsHttpHandler { AutomaticDecompression = DecompressionMethods.None });
        this.Scrape();
    }

    /// <summary>BenchmarkDotNet's global cleanup.</summary>
    [GlobalCleanup]
    public void Dispose()
    {
        this.client?.Dispose();
        this.app?.StopAsync().GetAwaiter().GetResult();
        (this.app as IDisposable)?.Dispose();
        this.provider?.Dispose();
        this.meter?.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Prints the bytes one scrape sends for every parameter combination (BenchmarkDotNet does not show them).</summary>
    public static void PrintSizes()
    {
        Console.WriteLine("| series | endpoint | gzip | bytes on the wire |");
        Console.WriteLine("|---:|---|---|---:|");
        foreach (var series in new[] { 1_000, 10_000, 100_000 })
        {
            foreach (var endpoint in Enum.GetValues<ScrapeEndpointKind>())
            {
                foreach (var gzip in new[] { false, true })
                {
                    using var bench = new HttpScrapeBenchmarks { Series = series, Endpoint = endpoint, Gzip = gzip };
                    bench.Setup();
                    Console.WriteLine(FormattableString.Invariant($"| {series:N0} | {endpoint} | {gzip} | {bench.Scrape():N0} |"));
                }
            }
        }
    }

    /// <summary>One scrape; returns the bytes received (compressed when gzip).</summary>
    [Benchmark]
    public long Scrape()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, this.uri);
        if (this.Gzip)
        {
            request.Headers.AcceptEncoding.ParseAdd("gzip");
        }

        using var response = this.client!.Send(request, HttpCompletionOption.ResponseContentRead);
        response.EnsureSuccessStatusCode();
        var bytes = response.Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
        Debug.Assert(bytes.Length > 0, "empty scrape");
        return bytes.LongLength;
    }
}
