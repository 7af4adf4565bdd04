namespace IncidentTelemetry.Catalogue;

/// <summary>The Prometheus type of a metric family.</summary>
internal enum MetricType
{
    /// <summary>A monotonic counter (OpenTelemetry Counter, ObservableCounter): the name ends in <c>_total</c>.</summary>
    Counter,

    /// <summary>A gauge (OpenTelemetry Gauge, ObservableGauge, UpDownCounter, ObservableUpDownCounter).</summary>
    Gauge,

    /// <summary>A histogram: <c>_bucket</c>, <c>_sum</c> and <c>_count</c> series.</summary>
    Histogram,
}

/// <summary>
/// A label of a series: the Prometheus name, and the OpenTelemetry attribute it comes from (none for target labels,
/// Prometheus' own labels and exporters' labels). Its string form is the Prometheus name, so that it reads naturally in
/// PromQL built by interpolation.
/// </summary>
internal sealed class Label
{
    private Label(string? attribute, string name)
    {
        this.Attribute = attribute;
        this.Name = name;
    }

    /// <summary>The OpenTelemetry attribute, or null when the label is not one.</summary>
    public string? Attribute { get; }

    /// <summary>The label name as Prometheus stores it.</summary>
    public string Name { get; }

    /// <summary>The label an attribute becomes (as OpenTelemetry's Prometheus exporter writes it).</summary>
    public static Label FromAttribute(string attribute) => new(attribute, PrometheusNaming.LabelName(attribute));

    /// <summary>A label that is no OpenTelemetry attribute (target labels, exporters' labels).</summary>
    public static Label Plain(string name) => new(null, name);

    public override string ToString() => this.Name;
}

/// <summary>
/// One metric family, once: its OpenTelemetry instrument name and unit (for the families a .NET meter publishes), its
/// Prometheus name, type, labels, histogram buckets and description. The instruments, the dashboards and
/// docs/metrics.md take every one of these from here. Its string form is the Prometheus name.
/// </summary>
internal sealed class MetricFamily
{
    private MetricFamily(
        string name, string? instrument, string unit, MetricType type, string description, IReadOnlyList<Label> labels,
        IReadOnlyList<string> meters, string? origin, string? note, IReadOnlyList<double>? buckets, bool moreLabels)
    {
        this.Name = name;
        this.Instrument = instrument;
        this.Unit = unit;
        this.Type = type;
        this.Description = description;
        this.Labels = labels;
        this.Meters = meters;
        this.Origin = origin;
        this.Note = note;
        this.Buckets = buckets;
        this.MoreLabels = moreLabels;
    }

    /// <summary>The name as Prometheus stores it (histograms: without <c>_bucket</c>, <c>_sum</c>, <c>_count</c>).</summary>
    public string Name { get; }

    /// <summary>The OpenTelemetry instrument name, or null for a family no .NET meter publishes.</summary>
    public string? Instrument { get; }

    /// <summary>The UCUM unit (<c>s</c>, <c>By</c>, <c>{connection}</c>), empty when there is none.</summary>
    public string Unit { get; }

    /// <summary>The Prometheus type.</summary>
    public MetricType Type { get; }

    /// <summary>What a measurement means (the instrument's description for the library's own instruments).</summary>
    public string Description { get; }

    /// <summary>Every label a series may carry (a series may carry fewer, such as <c>error_type</c> only on failures).</summary>
    public IReadOnlyList<Label> Labels { get; }

    /// <summary>True when the source writes more labels than <see cref="Labels"/> names (none of them read by the rules or dashboards).</summary>
    public bool MoreLabels { get; }

    /// <summary>The .NET meters that publish it; empty for exporters' and Prometheus' own series.</summary>
    public IReadOnlyList<string> Meters { get; }

    /// <summary>What produces it when no .NET meter does (an exporter, Prometheus).</summary>
    public string? Origin { get; }

    /// <summary>A remark on the source (which publisher lacks which label), or null.</summary>
    public string? Note { get; }

    /// <summary>The histogram bucket boundaries the library sets, or null.</summary>
    public IReadOnlyList<double>? Buckets { get; }

    /// <summary>The <c>_bucket</c> series of a histogram.</summary>
    public string Bucket => this.Name + "_bucket";

    /// <summary>The <c>_sum</c> series of a histogram.</summary>
    public string Sum => this.Name + "_sum";

    /// <summary>The <c>_count</c> series of a histogram.</summary>
    public string Count => this.Name + "_count";

    /// <summary>Every series name Prometheus stores for the family (histograms: <c>_bucket</c>, <c>_sum</c>, <c>_count</c>).</summary>
    public IReadOnlyList<string> SeriesNames => this.Type == MetricType.Histogram ? [this.Bucket, this.Sum, this.Count] : [this.Name];

    /// <summary>A family published by .NET meters; its Prometheus name is derived from the instrument name, unit and type.</summary>
    public static MetricFamily FromInstrument(
        string instrument, string unit, MetricType type, string description, Label[] labels, string[] meters,
        IReadOnlyList<double>? buckets = null, string? note = null) =>
        new(PrometheusNaming.MetricName(instrument, unit, type), instrument, unit, type, description, labels, meters, origin: null, note, buckets, moreLabels: false);

    /// <summary>A family an exporter or Prometheus produces, named as Prometheus stores it.</summary>
    public static MetricFamily FromOrigin(
        string name, string unit, MetricType type, string description, Label[] labels, string origin, bool moreLabels = false) =>
        new(name, instrument: null, unit, type, description, labels, meters: [], origin, note: null, buckets: null, moreLabels);

    public override string ToString() => this.Name;
}

/// <summary>
/// How OpenTelemetry's Prometheus exporter names what it writes: written out here because the exporter's own naming
/// code is internal to it; tests/IncidentTelemetry.Tests/Catalogue checks every name this gives against the exporter's
/// real output.
/// </summary>
internal static class PrometheusNaming
{
    /// <summary>An attribute's label name: every character Prometheus does not allow becomes <c>_</c>.</summary>
    public static string LabelName(string attribute) => Sanitize(attribute);

    /// <summary>
    /// A metric family's name: the instrument name sanitized, the unit's suffix (<c>s</c> → <c>_seconds</c>,
    /// <c>By</c> → <c>_bytes</c>; annotations in braces add none) unless the name already ends in it, and
    /// <c>_total</c> on counters.
    /// </summary>
    public static string MetricName(string instrument, string unit, MetricType type)
    {
        var name = Sanitize(instrument);
        var suffix = unit switch
        {
            "s" => "seconds",
            "ms" => "milliseconds",
            "By" => "bytes",
            _ => null,
        };
        if (suffix is not null && !name.EndsWith("_" + suffix, StringComparison.Ordinal))
        {
            name += "_" + suffix;
        }

        return type == MetricType.Counter && !name.EndsWith("_total", StringComparison.Ordinal) ? name + "_total" : name;
    }

    private static string Sanitize(string name) =>
        string.Create(name.Length, name, static (span, source) =>
        {
            for (var i = 0; i < source.Length; i++)
            {
                var c = source[i];
                span[i] = char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_';
            }
        });
}
