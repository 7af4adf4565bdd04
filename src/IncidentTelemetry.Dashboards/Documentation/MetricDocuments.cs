using System.Text;
using IncidentTelemetry.Catalogue;

namespace IncidentTelemetry.Dashboards.Documentation;

/// <summary>
/// The metric tables of docs/metrics.md and of the package READMEs, rendered from the catalogue (src/Shared/Telemetry)
/// between their markers; the prose around them stays as written. RenderedDocumentsTests holds the committed files to
/// a fresh render.
/// </summary>
internal static class MetricDocuments
{
    /// <summary>docs/metrics.md's markers around the full catalogue.</summary>
    public const string CatalogueBegin = "<!-- catalogue:begin -->";

    /// <summary>The end marker of the full catalogue.</summary>
    public const string CatalogueEnd = "<!-- catalogue:end -->";

    /// <summary>A package README's markers around the table of the families its meters publish.</summary>
    public const string PackageBegin = "<!-- metrics:begin -->";

    /// <summary>The end marker of a package table.</summary>
    public const string PackageEnd = "<!-- metrics:end -->";

    /// <summary>Each package README, the meters whose families it lists, and labels those meters never write.</summary>
    private static readonly (string Path, string[] Meters, Label[] Without)[] Packages =
    [
        (Path.Combine("src", "IncidentTelemetry", "README.md"), [MeterNames.Database, MeterNames.Caching, MeterNames.Authentication, MeterNames.Process], []),

        // SqlClient's instrumentation knows no pool: the pool name comes only from the core's decorator.
        (Path.Combine("src", "IncidentTelemetry.SqlClient", "README.md"), [MeterNames.SqlClient], [Labels.DbConnectionPoolName]),
        (Path.Combine("src", "IncidentTelemetry.StackExchangeRedis", "README.md"), [MeterNames.Redis], []),
    ];

    /// <summary>Every document with a rendered table (path relative to the repository), and its text after rendering.</summary>
    /// <param name="repositoryRoot">The repository's root directory.</param>
    public static IReadOnlyList<(string Path, string Text)> Render(string repositoryRoot)
    {
        var usage = MetricUsage.Compute();
        var metricsDoc = Path.Combine("docs", "metrics.md");
        var documents = new List<(string, string)>
        {
            (metricsDoc, Replace(File.ReadAllText(Path.Combine(repositoryRoot, metricsDoc)), CatalogueBegin, CatalogueEnd, CatalogueTable(usage))),
        };
        foreach (var (path, meters, without) in Packages)
        {
            var text = File.ReadAllText(Path.Combine(repositoryRoot, path));
            documents.Add((path, Replace(text, PackageBegin, PackageEnd, PackageTable(meters, without))));
        }

        return documents;
    }

    /// <summary>Writes every rendered document; returns the paths written.</summary>
    /// <param name="repositoryRoot">The repository's root directory.</param>
    public static IReadOnlyList<string> WriteTo(string repositoryRoot)
    {
        var written = new List<string>();
        foreach (var (path, text) in Render(repositoryRoot))
        {
            var full = Path.Combine(repositoryRoot, path);
            File.WriteAllText(full, text);
            written.Add(full);
        }

        return written;
    }

    /// <summary>The full catalogue: every family, what publishes it and which alerts and dashboards read it.</summary>
    public static string CatalogueTable(MetricUsage usage)
    {
        var table = new StringBuilder()
            .Append("| metric | OpenTelemetry instrument | type | unit | labels | source | used by |\n")
            .Append("|---|---|---|---|---|---|---|\n");
        foreach (var family in MetricCatalogue.All)
        {
            var usedBy = new List<string>();
            if (usage.Alerts[family].Count > 0)
            {
                usedBy.Add(string.Join(", ", usage.Alerts[family]));
            }

            if (usage.Dashboards[family].Count > 0)
            {
                usedBy.Add("dashboards: " + string.Join(", ", usage.Dashboards[family]));
            }

            Row(table, Code(family.Name), Code(family.Instrument), Type(family), family.Unit, LabelList(family, []), Source(family), usedBy.Count > 0 ? string.Join("; ", usedBy) : "—");
        }

        return table.ToString();
    }

    /// <summary>The families the given meters publish, for a package README, without the labels those meters never write.</summary>
    public static string PackageTable(IReadOnlyCollection<string> meters, IReadOnlyCollection<Label> without)
    {
        var table = new StringBuilder()
            .Append("| metric | OpenTelemetry instrument | type | unit | labels | meter |\n")
            .Append("|---|---|---|---|---|---|\n");
        foreach (var family in MetricCatalogue.All.Where(f => f.Meters.Any(meters.Contains)))
        {
            Row(table, Code(family.Name), Code(family.Instrument), Type(family), family.Unit, LabelList(family, without), string.Join(", ", family.Meters.Where(meters.Contains)));
        }

        return table.ToString();
    }

    /// <summary>Puts <paramref name="table"/> between the markers, which must each appear once.</summary>
    /// <exception cref="InvalidOperationException">A marker is missing or repeated.</exception>
    public static string Replace(string text, string begin, string end, string table)
    {
        var start = text.IndexOf(begin, StringComparison.Ordinal);
        var stop = text.IndexOf(end, StringComparison.Ordinal);
        if (start < 0 || stop < start || text.IndexOf(begin, start + 1, StringComparison.Ordinal) >= 0)
        {
            throw new InvalidOperationException($"expected one {begin} followed by one {end}");
        }

        return string.Concat(text.AsSpan(0, start + begin.Length), "\n", table, text.AsSpan(stop));
    }

    private static void Row(StringBuilder table, params string[] cells) =>
        table.Append("| ").AppendJoin(" | ", cells).Append(" |\n");

    private static string Code(string? name) => name is null ? string.Empty : $"`{name}`";

    private static string Type(MetricFamily family) => family.Type.ToString().ToLowerInvariant();

    private static string LabelList(MetricFamily family, IReadOnlyCollection<Label> without) =>
        string.Join(", ", family.Labels.Where(l => !without.Contains(l)).Select(l => l.Name).Concat(family.MoreLabels ? ["…"] : []));

    private static string Source(MetricFamily family)
    {
        var source = family.Meters.Count > 0 ? string.Join(", ", family.Meters) : family.Origin!;
        return family.Note is null ? source : $"{source} ({family.Note})";
    }
}
