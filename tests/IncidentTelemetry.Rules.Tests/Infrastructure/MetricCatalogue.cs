using System.Text.RegularExpressions;

namespace IncidentTelemetry.Rules.Tests.Infrastructure;

/// <summary>The series names the docs/metrics.md catalogue table allows (histograms: _bucket, _count, _sum).</summary>
internal static partial class MetricCatalogue
{
    public static IReadOnlySet<string> SeriesNames()
    {
        var text = File.ReadAllText(Repository.File("docs", "metrics.md"));
        var begin = text.IndexOf("<!-- catalogue:begin -->", StringComparison.Ordinal);
        var end = text.IndexOf("<!-- catalogue:end -->", StringComparison.Ordinal);
        Assert.True(begin >= 0 && end > begin, "docs/metrics.md: catalogue markers not found");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var line in text[begin..end].Split('\n'))
        {
            var m = Row().Match(line);
            if (!m.Success)
            {
                continue;
            }

            var name = m.Groups["name"].Value;
            if (m.Groups["type"].Value == "histogram")
            {
                names.UnionWith([name + "_bucket", name + "_count", name + "_sum"]);
            }
            else
            {
                names.Add(name);
            }
        }

        return names;
    }

    [GeneratedRegex(@"^\|\s*`(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)`\s*\|\s*(?<type>[a-z]+)\s*\|")]
    private static partial Regex Row();
}
