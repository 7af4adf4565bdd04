using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Testing;

/// <summary>
/// One exported metric point, what a Prometheus exporter would turn into a series, read from what
/// OpenTelemetry.Exporter.InMemory kept (<see cref="MetricSnapshot"/>) for tests that run a real MeterProvider.
/// </summary>
public sealed record ExportedPoint(string Meter, string Name, string Unit, MetricType Type, IReadOnlyDictionary<string, string?> Tags, double Value, long Count, double[] Bounds)
{
    /// <summary>Every point of every snapshot: for a histogram its sum, count and bucket bounds; else its sum or last value.</summary>
    public static IReadOnlyList<ExportedPoint> From(IEnumerable<MetricSnapshot> snapshots)
    {
        var points = new List<ExportedPoint>();
        foreach (var metric in snapshots)
        {
            foreach (var point in metric.MetricPoints)
            {
                var tags = new Dictionary<string, string?>();
                foreach (var tag in point.Tags)
                {
                    tags[tag.Key] = tag.Value?.ToString();
                }

                double value;
                long count = 0;
                double[] bounds = [];
                if (metric.MetricType.IsHistogram())
                {
                    value = point.GetHistogramSum();
                    count = point.GetHistogramCount();
                    var bucketBounds = new List<double>();
                    foreach (var bucket in point.GetHistogramBuckets())
                    {
                        bucketBounds.Add(bucket.ExplicitBound);
                    }

                    bounds = [.. bucketBounds];
                }
                else if (metric.MetricType.IsDouble())
                {
                    value = metric.MetricType.IsSum() ? point.GetSumDouble() : point.GetGaugeLastValueDouble();
                }
                else
                {
                    value = metric.MetricType.IsSum() ? point.GetSumLong() : point.GetGaugeLastValueLong();
                }

                points.Add(new ExportedPoint(metric.MeterName, metric.Name, metric.Unit, metric.MetricType, tags, value, count, bounds));
            }
        }

        return points;
    }
}
