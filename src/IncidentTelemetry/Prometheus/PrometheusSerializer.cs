using System.Globalization;
using System.Text;
using IncidentTelemetry.Internal;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// Writes collected metrics in the Prometheus text format 0.0.4 or in OpenMetrics 1.0: one family per
/// Prometheus name (points of every meter that exports the name are merged under one HELP and TYPE,
/// told apart by <c>otel_scope_name</c>), cumulative histogram buckets with <c>le="+Inf"</c>, and
/// <c>target_info</c> from the resource. Not thread-safe: the exporter serialises collections.
/// </summary>
internal sealed class PrometheusSerializer : IDisposable
{
    private readonly Dictionary<Metric, MetricInfo> infos = new(ReferenceEqualityComparer.Instance);
    private readonly Dictionary<string, LabelKey> labelKeys = new(StringComparer.Ordinal);
    private readonly List<string> pointLabelNames = [];
    private readonly ExpositionBuffer labelSet = new(4096);
    private readonly Dictionary<string, List<Metric>> families = new(StringComparer.Ordinal);
    private readonly List<string> familyOrder = [];
    private readonly HashSet<string> reportedConflicts = new(StringComparer.Ordinal);
    private readonly List<Label> collisionLabels = [];

    private enum Kind
    {
        Counter,
        Gauge,
        Histogram,
        Unsupported,
    }

    /// <summary>Returns the label scratch buffer to the pool.</summary>
    public void Dispose() => this.labelSet.Dispose();

    /// <summary>Writes every metric and the resource's <c>target_info</c> into <paramref name="buffer"/>.</summary>
    public void Write(ExpositionBuffer buffer, IReadOnlyList<Metric> metrics, Resource resource, bool openMetrics)
    {
        this.WriteTargetInfo(buffer, resource, openMetrics);

        foreach (var list in this.families.Values)
        {
            list.Clear();
        }

        this.familyOrder.Clear();
        foreach (var metric in metrics)
        {
            var info = this.InfoFor(metric);
            if (info.Kind == Kind.Unsupported)
            {
                continue;
            }

            if (!this.families.TryGetValue(info.Name, out var family))
            {
                family = [];
                this.families[info.Name] = family;
            }

            if (family.Count == 0)
            {
                this.familyOrder.Add(info.Name);
            }
            else if (this.InfoFor(family[0]).Kind != info.Kind)
            {
                if (this.reportedConflicts.Add(info.Name))
                {
                    IncidentTelemetryEventSource.Log.Dropped($"metric '{info.Name}' from meter '{metric.MeterName}' has another type than the same name from '{family[0].MeterName}'; it is not exported");
                }

                continue;
            }

            family.Add(metric);
        }

        foreach (var name in this.familyOrder)
        {
            var family = this.families[name];
            this.WriteFamily(buffer, family, openMetrics);
        }

        if (openMetrics)
        {
            buffer.Write("# EOF\n"u8);
        }

        // Forget metrics whose meter went away, so the cache does not grow with meters created and disposed.
        if (this.infos.Count > (2 * metrics.Count) + 64)
        {
            var current = new HashSet<Metric>(metrics, ReferenceEqualityComparer.Instance);
            foreach (var gone in this.infos.Keys.Where(m => !current.Contains(m)).ToList())
            {
                this.infos.Remove(gone);
            }
        }
    }

    private static void WriteValue(ExpositionBuffer buffer, in MetricPoint point, MetricType type)
    {
        switch (type)
        {
            case MetricType.LongSum:
            case MetricType.LongSumNonMonotonic:
                buffer.WriteLong(point.GetSumLong());
                break;
            case MetricType.DoubleSum:
            case MetricType.DoubleSumNonMonotonic:
                buffer.WriteDouble(point.GetSumDouble());
                break;
            case MetricType.LongGauge:
                buffer.WriteLong(point.GetGaugeLastValueLong());
                break;
            case MetricType.DoubleGauge:
                buffer.WriteDouble(point.GetGaugeLastValueDouble());
                break;
            default:
                buffer.Write("NaN"u8);
                break;
        }
    }

    private void WriteFamily(ExpositionBuffer buffer, List<Metric> family, bool openMetrics)
    {
        var first = this.InfoFor(family[0]);
        var familyName = openMetrics ? first.OpenMetricsFamilyName : first.Name;
        var type = first.Kind switch
        {
            Kind.Counter => "counter",
            Kind.Histogram => "histogram",
            _ => "gauge",
        };

        buffer.Write("# HELP "u8);
        buffer.Write(familyName);
        buffer.Write((byte)' ');
        buffer.WriteHelp(first.Help);
        buffer.Write("\n# TYPE "u8);
        buffer.Write(familyName);
        buffer.Write((byte)' ');
        buffer.Write(type);
        buffer.Write((byte)'\n');

        foreach (var metric in family)
        {
            var info = this.InfoFor(metric);
            foreach (ref readonly var point in metric.GetMetricPoints())
            {
                // The label set is written once per point and copied to each of its lines.
                this.WriteLabels(info, point);
                var labelSet = this.labelSet.Written.Span;
                if (info.Kind == Kind.Histogram)
                {
                    WriteHistogram(buffer, info, point, labelSet);
                }
                else
                {
                    buffer.Write(info.NameUtf8);
                    buffer.Write(labelSet);
                    buffer.Write("} "u8);
                    WriteValue(buffer, point, metric.MetricType);
                    buffer.Write((byte)'\n');
                }
            }
        }
    }

    private static void WriteHistogram(ExpositionBuffer buffer, MetricInfo info, in MetricPoint point, ReadOnlySpan<byte> labelSet)
    {
        long cumulative = 0;
        var index = 0;
        foreach (var bucket in point.GetHistogramBuckets())
        {
            cumulative += bucket.BucketCount;
            buffer.Write(info.NameUtf8);
            buffer.Write("_bucket"u8);
            buffer.Write(labelSet);
            buffer.Write(info.BucketSuffix(index++, bucket.ExplicitBound));
            buffer.WriteLong(cumulative);
            buffer.Write((byte)'\n');
        }

        buffer.Write(info.NameUtf8);
        buffer.Write("_sum"u8);
        buffer.Write(labelSet);
        buffer.Write("} "u8);
        buffer.WriteDouble(point.GetHistogramSum());
        buffer.Write((byte)'\n');

        buffer.Write(info.NameUtf8);
        buffer.Write("_count"u8);
        buffer.Write(labelSet);
        buffer.Write("} "u8);
        buffer.WriteLong(point.GetHistogramCount());
        buffer.Write((byte)'\n');
    }

    /// <summary>Writes <c>{name="value",...,otel_scope_name="..."</c> (without the closing brace) into the label scratch buffer.</summary>
    private void WriteLabels(MetricInfo info, in MetricPoint point)
    {
        var target = this.labelSet;
        target.Reset();
        target.Write((byte)'{');
        // One pass writes the labels and notes their names; only when two names turn out equal (or one is the
        // exporter's own) is the set written again by the slow path.
        var names = this.pointLabelNames;
        names.Clear();
        foreach (var tag in point.Tags)
        {
            if (tag.Value is null)
            {
                continue;
            }

            var label = this.LabelKeyFor(tag.Key);
            names.Add(label.Name);
            target.Write(label.Prefix);
            switch (tag.Value)
            {
                // Numbers are formatted straight into the buffer: no string per line, nothing to escape.
                case int i:
                    target.WriteLong(i);
                    break;
                case long l:
                    target.WriteLong(l);
                    break;
                case string text:
                    target.WriteLabelValue(text);
                    break;
                default:
                    target.WriteLabelValue(FormatTagValue(tag.Value));
                    break;
            }

            target.Write("\","u8);
        }

        var histogram = info.Kind == Kind.Histogram;
        if (NamesCollide(names, histogram))
        {
            target.Reset();
            target.Write((byte)'{');
            this.WriteMergedLabels(target, info, point, histogram);
        }

        target.Write(info.ScopeLabels);
    }

    /// <summary>
    /// Whether two attributes became the same label (<c>a.b</c> and <c>a_b</c> are both <c>a_b</c>), or an attribute
    /// became a label the exporter writes itself: either would make a line with a duplicate label name,
    /// which no Prometheus parser accepts. Attribute sets are small.
    /// </summary>
    private static bool NamesCollide(List<string> names, bool histogram)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (IsReserved(names[i], histogram))
            {
                return true;
            }

            for (var j = i + 1; j < names.Count; j++)
            {
                if (string.Equals(names[i], names[j], StringComparison.Ordinal))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>The rare slow path for colliding attributes: see <see cref="MergeCollisions"/>.</summary>
    private void WriteMergedLabels(ExpositionBuffer target, MetricInfo info, in MetricPoint point, bool histogram)
    {
        var labels = this.collisionLabels;
        labels.Clear();
        foreach (var tag in point.Tags)
        {
            if (tag.Value is not null)
            {
                labels.Add(new Label(this.LabelName(tag.Key), tag.Key, FormatTagValue(tag.Value)));
            }
        }

        this.MergeCollisions(info, histogram);
        foreach (var label in labels)
        {
            target.Write(label.Name);
            target.Write("=\""u8);
            target.WriteLabelValue(label.Value);
            target.Write("\","u8);
        }
    }

    private static bool IsReserved(string labelName, bool histogram)
        => labelName is "otel_scope_name" or "otel_scope_version" || (histogram && labelName == "le");

    /// <summary>
    /// The rare slow path. As the OpenTelemetry Prometheus compatibility specification asks, the values of
    /// attributes that become one label are joined with <c>;</c>, ordered by their original keys. Attributes
    /// that would overwrite the exporter's own labels (scope, <c>le</c>) are dropped and reported once.
    /// </summary>
    private void MergeCollisions(MetricInfo info, bool histogram)
    {
        var merged = this.collisionLabels
            .Where(l =>
            {
                if (!IsReserved(l.Name, histogram))
                {
                    return true;
                }

                if (this.reportedConflicts.Add(info.Name + "\n" + l.Key))
                {
                    IncidentTelemetryEventSource.Log.Dropped($"attribute '{l.Key}' of metric '{info.Name}' would overwrite the label '{l.Name}' the exporter writes; it is not exported");
                }

                return false;
            })
            .GroupBy(l => l.Name, StringComparer.Ordinal)
            .Select(g => g.Count() == 1
                ? g.First()
                : new Label(g.Key, g.Key, string.Join(';', g.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => l.Value))))
            .ToList();
        this.collisionLabels.Clear();
        this.collisionLabels.AddRange(merged);
    }

    private void WriteTargetInfo(ExpositionBuffer buffer, Resource resource, bool openMetrics)
    {
        buffer.Write("# HELP target_info Target metadata\n"u8);
        buffer.Write(openMetrics ? "# TYPE target info\n"u8 : "# TYPE target_info gauge\n"u8);
        buffer.Write("target_info{"u8);
        var firstLabel = true;
        foreach (var attribute in resource.Attributes)
        {
            if (attribute.Value is null)
            {
                continue;
            }

            if (!firstLabel)
            {
                buffer.Write((byte)',');
            }

            firstLabel = false;
            buffer.Write(this.LabelName(attribute.Key));
            buffer.Write("=\""u8);
            buffer.WriteLabelValue(FormatTagValue(attribute.Value));
            buffer.Write((byte)'"');
        }

        buffer.Write("} 1\n"u8);
    }

    private string LabelName(string key) => this.LabelKeyFor(key).Name;

    /// <summary>The label name of an attribute key and its <c>name="</c> as UTF-8, computed once per key.</summary>
    private LabelKey LabelKeyFor(string key)
    {
        if (!this.labelKeys.TryGetValue(key, out var label))
        {
            var name = PrometheusNames.LabelName(key);
            label = new LabelKey(name, Encoding.UTF8.GetBytes(name + "=\""));
            this.labelKeys[key] = label;
        }

        return label;
    }

    private MetricInfo InfoFor(Metric metric)
    {
        if (this.infos.TryGetValue(metric, out var info))
        {
            return info;
        }

        var kind = metric.MetricType switch
        {
            MetricType.LongSum or MetricType.DoubleSum => Kind.Counter,
            MetricType.LongSumNonMonotonic or MetricType.DoubleSumNonMonotonic or MetricType.LongGauge or MetricType.DoubleGauge => Kind.Gauge,
            MetricType.Histogram => Kind.Histogram,
            _ => Kind.Unsupported,
        };
        if (kind == Kind.Unsupported)
        {
            IncidentTelemetryEventSource.Log.Dropped($"metric '{metric.Name}' of meter '{metric.MeterName}' has type {metric.MetricType}, which the Prometheus endpoint does not export");
        }

        var name = PrometheusNames.MetricName(metric.Name, metric.Unit, kind == Kind.Counter);
        var scope = new ExpositionBuffer(256);
        scope.Write("otel_scope_name=\""u8);
        scope.WriteLabelValue(metric.MeterName);
        scope.Write((byte)'"');
        if (!string.IsNullOrEmpty(metric.MeterVersion))
        {
            scope.Write(",otel_scope_version=\""u8);
            scope.WriteLabelValue(metric.MeterVersion);
            scope.Write((byte)'"');
        }

        var help = string.IsNullOrWhiteSpace(metric.Description) ? metric.Name : metric.Description;
        info = new MetricInfo(name, kind, help, scope.Written.ToArray());
        scope.Dispose();
        this.infos[metric] = info;
        return info;
    }

    private static string FormatTagValue(object value) => value switch
    {
        string s => s,
        bool b => b ? "true" : "false",
        double d => d.ToString("R", CultureInfo.InvariantCulture),
        float f => f.ToString("R", CultureInfo.InvariantCulture),
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };

    /// <summary>What the serializer needs of one metric, computed once: names as UTF-8, scope labels, bucket suffixes.</summary>
    private sealed class MetricInfo(string name, Kind kind, string help, byte[] scopeLabels)
    {
        private byte[][] bucketSuffixes = [];
        private double[] bucketBounds = [];

        public string Name { get; } = name;

        /// <summary>The family name in OpenMetrics: a counter's without <c>_total</c>.</summary>
        public string OpenMetricsFamilyName { get; } = kind == Kind.Counter ? name[..^"_total".Length] : name;

        public byte[] NameUtf8 { get; } = Encoding.UTF8.GetBytes(name);

        public Kind Kind { get; } = kind;

        public string Help { get; } = help;

        public byte[] ScopeLabels { get; } = scopeLabels;

        /// <summary><c>,le="bound"} </c> of one bucket; the bounds of a metric do not change, so each is formatted once.</summary>
        public byte[] BucketSuffix(int index, double bound)
        {
            if (index >= this.bucketSuffixes.Length)
            {
                Array.Resize(ref this.bucketSuffixes, index + 1);
                Array.Resize(ref this.bucketBounds, index + 1);
            }

            var suffix = this.bucketSuffixes[index];
            if (suffix is null || !this.bucketBounds[index].Equals(bound))
            {
                using var text = new ExpositionBuffer(64);
                text.Write(",le=\""u8);
                text.WriteDouble(bound);
                text.Write("\"} "u8);
                suffix = text.Written.ToArray();
                this.bucketSuffixes[index] = suffix;
                this.bucketBounds[index] = bound;
            }

            return suffix;
        }
    }

    /// <summary>An attribute key as a label: its name and the UTF-8 bytes of <c>name="</c>.</summary>
    private sealed record LabelKey(string Name, byte[] Prefix);

    /// <summary>One attribute of the point being written: its label name, original key and formatted value.</summary>
    private readonly record struct Label(string Name, string Key, string Value);
}
