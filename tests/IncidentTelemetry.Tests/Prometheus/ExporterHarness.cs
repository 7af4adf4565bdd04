using System.Diagnostics.Metrics;
using System.Text;
using IncidentTelemetry.Prometheus;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IncidentTelemetry.Tests.Prometheus;

/// <summary>A real MeterProvider whose only reader is the Prometheus exporter, over meters unique to one test.</summary>
internal sealed class ExporterHarness : IDisposable
{
    private readonly MeterProvider provider;

    public ExporterHarness(IEnumerable<Meter> meters, Action<ResourceBuilder>? resource = null, Action<MeterProviderBuilder>? configure = null, TimeSpan? cache = null)
    {
        this.Exporter = new PrometheusExporter(cache ?? TimeSpan.Zero);
        var builder = Sdk.CreateMeterProviderBuilder()
            .ConfigureResource(r =>
            {
                r.Clear();
                r.AddService("test-service", serviceInstanceId: "test-1");
                resource?.Invoke(r);
            })
            .AddReader(new BaseExportingMetricReader(this.Exporter) { TemporalityPreference = MetricReaderTemporalityPreference.Cumulative });
        foreach (var meter in meters)
        {
            builder.AddMeter(meter.Name);
        }

        configure?.Invoke(builder);
        this.provider = builder.Build()!;
    }

    public PrometheusExporter Exporter { get; }

    public async Task<string> ScrapeAsync(bool openMetrics = false)
    {
        var result = await this.Exporter.ScrapeAsync(openMetrics, CancellationToken.None);
        try
        {
            return Encoding.UTF8.GetString(result.Content.Span);
        }
        finally
        {
            result.Release();
        }
    }

    public void Dispose() => this.provider.Dispose();

    public static string UniqueMeterName(string what) => $"IncidentTelemetry.Tests.{what}.{Guid.NewGuid():N}";
}
