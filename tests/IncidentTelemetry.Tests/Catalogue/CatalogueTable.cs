using System.Text.RegularExpressions;

namespace IncidentTelemetry.Tests.Catalogue;

/// <summary>One row of the catalogue table in docs/metrics.md.</summary>
internal sealed partial record CatalogueRow(string Name, string Type, IReadOnlySet<string> Labels, string Source)
{
    /// <summary>True when the source is a .NET meter (the runtime's, ASP.NET Core's, Npgsql's or this library's), not an exporter or Prometheus.</summary>
    public bool FromMeter => MeterSource().IsMatch(this.Source);

    [GeneratedRegex(@"^(IncidentTelemetry\.|Microsoft\.|System\.|Npgsql)")]
    private static partial Regex MeterSource();
}

/// <summary>Reads the table between <c>&lt;!-- catalogue:begin --&gt;</c> and <c>&lt;!-- catalogue:end --&gt;</c>.</summary>
internal static partial class CatalogueTable
{
    public static IReadOnlyList<CatalogueRow> Load()
    {
        var text = File.ReadAllText(Repository.File("docs", "metrics.md"));
        var begin = text.IndexOf("<!-- catalogue:begin -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- catalogue:end -->", StringComparison.Ordinal);
        if (begin < 0 || end < begin)
        {
            throw new InvalidOperationException("docs/metrics.md: catalogue markers not found");
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

        return rows;
    }

    [GeneratedRegex(@"^\|\s*`(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|")]
    private static partial Regex Row();
}
