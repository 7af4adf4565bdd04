using System.Text.RegularExpressions;

namespace IncidentTelemetry.Dashboards.Tests.Infrastructure;

/// <summary>The metric catalogue table of docs/metrics.md: the only metric names a dashboard may use.</summary>
internal sealed partial class MetricCatalogue
{
    private MetricCatalogue(IReadOnlyDictionary<string, Entry> entries)
    {
        this.Entries = entries;
        var series = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var entry in entries.Values)
        {
            if (entry.Type == "histogram")
            {
                series[entry.Name + "_bucket"] = entry;
                series[entry.Name + "_sum"] = entry;
                series[entry.Name + "_count"] = entry;
            }
            else
            {
                series[entry.Name] = entry;
            }
        }

        this.Series = series;
    }

    public static MetricCatalogue Instance { get; } = Load(Repository.File("docs", "metrics.md"));

    /// <summary>Catalogue rows by metric name.</summary>
    public IReadOnlyDictionary<string, Entry> Entries { get; }

    /// <summary>Every series name Prometheus stores for the catalogue's metrics (histograms: _bucket, _sum, _count).</summary>
    public IReadOnlyDictionary<string, Entry> Series { get; }

    public static MetricCatalogue Load(string path)
    {
        var text = File.ReadAllText(path);
        var begin = text.IndexOf("<!-- catalogue:begin -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- catalogue:end -->", StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException($"{path}: catalogue markers not found");
        }

        var entries = new Dictionary<string, Entry>(StringComparer.Ordinal);
        foreach (var line in text[begin..end].Split('\n'))
        {
            var m = RowPattern().Match(line);
            if (!m.Success)
            {
                continue;
            }

            var cells = line.Split('|').Select(c => c.Trim()).ToArray();

            // | `name` | type | unit | labels | source | used by |  → cells[1..6]
            var labels = cells[4].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            entries[m.Groups["name"].Value] = new Entry(m.Groups["name"].Value, cells[2], labels.ToHashSet(StringComparer.Ordinal));
        }

        return new MetricCatalogue(entries);
    }

    [GeneratedRegex(@"^\|\s*`(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|")]
    private static partial Regex RowPattern();

    internal sealed record Entry(string Name, string Type, IReadOnlySet<string> Labels);
}
