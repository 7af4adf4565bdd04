using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// A second reader on the app's own MeterProvider (the one AddIncidentTelemetry builds, with its views and
/// cardinality limit) with OpenTelemetry's in-memory exporter: the series a Prometheus scrape would show.
/// </summary>
internal sealed class RouteMetricCapture : IDisposable
{
    private readonly List<Metric> exported = [];
    private readonly BaseExportingMetricReader reader;

    private RouteMetricCapture()
    {
        this.reader = new BaseExportingMetricReader(new InMemoryExporter<Metric>(this.exported));
    }

    /// <summary>Adds the capturing reader to the MeterProvider of <paramref name="services"/>.</summary>
    public static RouteMetricCapture AddTo(IServiceCollection services)
    {
        var capture = new RouteMetricCapture();
        services.ConfigureOpenTelemetryMeterProvider(builder => builder.AddReader(capture.reader));
        return capture;
    }

    /// <summary>The provider disposes its readers too; disposing again here is harmless and covers a provider never built.</summary>
    public void Dispose() => this.reader.Dispose();

    /// <summary>Collects now and returns the exported points of one instrument (cumulative since start).</summary>
    public IReadOnlyList<ExportedPoint> Collect(string instrumentName)
    {
        lock (this.exported)
        {
            this.exported.Clear();
            if (!this.reader.Collect(10_000))
            {
                throw new InvalidOperationException("The capturing reader could not collect.");
            }

            // A Metric is reused by the next collection: copy its points now.
            return [.. ExportedPoint.From(this.exported.Select(m => new MetricSnapshot(m))).Where(p => p.Name == instrumentName)];
        }
    }
}
