using System.Text.RegularExpressions;
using LocalComponents;

namespace IncidentTelemetry.Testing;

/// <summary>One row of the catalogue table in docs/metrics.md.</summary>
/// <param name="Name">The metric name as Prometheus stores it (histograms: without _bucket, _sum, _count).</param>
/// <param name="Type">counter, gauge, histogram, …</param>
/// <param name="Labels">The labels the row lists (an ellipsis, "and others", left out).</param>
/// <param name="Source">The meter, exporter or Prometheus that produces it.</param>
public sealed partial record CatalogueRow(string Name, string Type, IReadOnlySet<string> Labels, string Source)
{
    /// <summary>True when the source is a .NET meter (the runtime's, ASP.NET Core's, Npgsql's or this library's), not an exporter or Prometheus.</summary>
    public bool FromMeter => MeterSource().IsMatch(this.Source);

    /// <summary>Every series name Prometheus stores for this metric (histograms: _bucket, _sum, _count).</summary>
    public IEnumerable<string> SeriesNames => this.Type == "histogram"
        ? [this.Name + "_bucket", this.Name + "_sum", this.Name + "_count"]
        : [this.Name];

    [GeneratedRegex(@"^(IncidentTelemetry\.|Microsoft\.|System\.|Npgsql)")]
    private static partial Regex MeterSource();
}

/// <summary>
/// The metric catalogue of docs/metrics.md (the table between <c>&lt;!-- catalogue:begin --&gt;</c> and
/// <c>&lt;!-- catalogue:end --&gt;</c>): the only metric names the rules and dashboards may use, checked against
/// what the services really expose.
/// </summary>
public sealed partial class MetricCatalogue
{
    private MetricCatalogue(IReadOnlyList<CatalogueRow> rows)
    {
        this.Rows = rows;
        var entries = new Dictionary<string, CatalogueRow>(StringComparer.Ordinal);
        var series = new Dictionary<string, CatalogueRow>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            entries[row.Name] = row;
            foreach (var name in row.SeriesNames)
            {
                series[name] = row;
            }
        }

        this.Entries = entries;
        this.Series = series;
    }

    /// <summary>The repository's docs/metrics.md, read once.</summary>
    public static MetricCatalogue Instance { get; } = Load(Repository.File("docs", "metrics.md"));

    /// <summary>The rows in the order of the table.</summary>
    public IReadOnlyList<CatalogueRow> Rows { get; }

    /// <summary>The rows by metric name.</summary>
    public IReadOnlyDictionary<string, CatalogueRow> Entries { get; }

    /// <summary>The rows by every series name Prometheus stores for them (histograms: _bucket, _sum, _count).</summary>
    public IReadOnlyDictionary<string, CatalogueRow> Series { get; }

    public static MetricCatalogue Load(string path)
    {
        var text = File.ReadAllText(path);
        var begin = text.IndexOf("<!-- catalogue:begin -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- catalogue:end -->", StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"{path}: catalogue markers not found");
        }

        var rows = new List<CatalogueRow>();
        foreach (var line in text[begin..end].Split('\n'))
        {
            var match = Row().Match(line);
            if (!match.Success)
            {
                continue;
            }

            // | `name` | type | unit | labels | source | used by |
            var cells = line.Split('|').Select(c => c.Trim()).ToArray();
            var labels = cells[4].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .Where(l => l != "…")
                .ToHashSet(StringComparer.Ordinal);
            rows.Add(new CatalogueRow(match.Groups["name"].Value, cells[2], labels, cells[5]));
        }

        return new MetricCatalogue(rows);
    }

    [GeneratedRegex(@"^\|\s*`(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|")]
    private static partial Regex Row();
}
