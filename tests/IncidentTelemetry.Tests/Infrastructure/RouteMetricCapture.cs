using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Tests.Infrastructure;

/// <summary>
/// A second reader on the app's own MeterProvider (the one AddIncidentTelemetry builds, with its views and
/// cardinality limit) whose exporter copies every exported point: the series a Prometheus scrape would show.
/// </summary>
internal sealed class RouteMetricCapture : IDisposable
{
    private readonly CapturingExporter exporter = new();
    private readonly BaseExportingMetricReader reader;

    private RouteMetricCapture()
    {
        this.reader = new BaseExportingMetricReader(this.exporter);
    }

    /// <summary>Adds the capturing reader to the MeterProvider of <paramref name="services"/>.</summary>
    public static RouteMetricCapture AddTo(IServiceCollection services)
    {
        var capture = new RouteMetricCapture();
        services.ConfigureOpenTelemetryMeterProvider(builder => builder.AddReader(capture.reader));
        return capture;
    }

    /// <summary>The provider disposes its readers too; disposing again here is harmless and covers a provider never built.</summary>
    public void Dispose()
    {
        this.reader.Dispose();
        this.exporter.Dispose();
    }

    /// <summary>Collects now and returns the exported points of one instrument (cumulative since start).</summary>
    public IReadOnlyList<CapturedPoint> Collect(string instrumentName)
    {
        this.exporter.Points.Clear();
        if (!this.reader.Collect(10_000))
        {
            throw new InvalidOperationException("The capturing reader could not collect.");
        }

        return [.. this.exporter.Points.Where(p => p.Instrument == instrumentName)];
    }

    /// <summary>One exported series: its attributes and how many measurements it aggregated.</summary>
    internal sealed record CapturedPoint(string Meter, string Instrument, IReadOnlyDictionary<string, object?> Tags, long Count);

    private sealed class CapturingExporter : BaseExporter<Metric>
    {
        public ConcurrentQueue<CapturedPoint> Points { get; } = new();

        public override ExportResult Export(in Batch<Metric> batch)
        {
            foreach (var metric in batch)
            {
                foreach (ref readonly var point in metric.GetMetricPoints())
                {
                    var tags = new Dictionary<string, object?>();
                    foreach (var tag in point.Tags)
                    {
                        tags[tag.Key] = tag.Value;
                    }

                    var count = metric.MetricType switch
                    {
                        MetricType.Histogram => point.GetHistogramCount(),
                        MetricType.LongSum or MetricType.LongSumNonMonotonic => point.GetSumLong(),
                        _ => 1,
                    };
                    this.Points.Enqueue(new CapturedPoint(metric.MeterName, metric.Name, tags, count));
                }
            }

            return ExportResult.Success;
        }
    }
}
