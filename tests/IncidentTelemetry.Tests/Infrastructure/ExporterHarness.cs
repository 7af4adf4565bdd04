using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// A real MeterProvider whose only reader is OpenTelemetry's Prometheus exporter, over meters unique to one test,
/// served by the exporter package's middleware on a loopback Kestrel port and scraped over HTTP.
/// </summary>
internal sealed class ExporterHarness : IAsyncDisposable, IDisposable
{
    /// <summary>What Prometheus 2.42 sends when it prefers OpenMetrics.</summary>
    public const string OpenMetricsAccept = "application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,text/plain;version=0.0.4;q=0.5,*/*;q=0.1";

    private readonly MeterProvider provider;
    private readonly WebApplication app;
    private readonly HttpClient client = new();

    public ExporterHarness(IEnumerable<Meter> meters, Action<ResourceBuilder>? resource = null, Action<MeterProviderBuilder>? configure = null, TimeSpan? cache = null)
    {
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r =>
            {
                r.Clear();
                r.AddService("test-service", serviceInstanceId: "test-1");
                resource?.Invoke(r);
            })
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = (int)(cache ?? TimeSpan.Zero).TotalMilliseconds);
        foreach (var meter in meters)
        {
            builder.AddMeter(meter.Name);
        }

        configure?.Invoke(builder);
        this.provider = builder.Build()!;

        var web = WebApplication.CreateSlimBuilder();
        web.Logging.ClearProviders();
        web.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        this.app = web.Build();
        this.app.UseOpenTelemetryPrometheusScrapingEndpoint(this.provider, predicate: null, path: "/metrics", configureBranchedPipeline: null, optionsName: null);
        this.app.StartAsync().GetAwaiter().GetResult();
        this.Uri = new Uri(new Uri(this.app.Urls.First()), "/metrics");
    }

    public Uri Uri { get; }

    public async Task<string> ScrapeAsync(bool openMetrics = false)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, this.Uri);
        if (openMetrics)
        {
            request.Headers.TryAddWithoutValidation("Accept", OpenMetricsAccept);
        }

        using var response = await this.client.SendAsync(request);
        response.EnsureSuccessStatusCode();
        return await response.Content.ReadAsStringAsync();
    }

    public async ValueTask DisposeAsync()
    {
        this.client.Dispose();
        await this.app.DisposeAsync();
        this.provider.Dispose();
    }

    public void Dispose() => this.DisposeAsync().AsTask().GetAwaiter().GetResult();

    public static string UniqueMeterName(string what) => $"IncidentTelemetry.Tests.{what}.{Guid.NewGuid():N}";
}
