using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Rules;
using YamlDotNet.RepresentationModel;

namespace IncidentTelemetry.Dashboards.Documentation;

/// <summary>
/// Which bundled alerts and which dashboards read each metric family, computed from what they really query: the
/// rules as <see cref="RuleRenderer"/> renders them for a service that gets every alert (recording rules followed to
/// the series they read), and the expressions of every rendered dashboard.
/// </summary>
internal sealed partial class MetricUsage
{
    // One service with every job and objective an alert can need and no alert list, so that it gets every bundled alert.
    private const string EveryAlertConfiguration = """
        otherServices: false
        services:
          every-alert:
            team: docs
            redisJob: redis
            sentinelJob: sentinel
            objectives: {latency: 99}
        """;

    private MetricUsage(IReadOnlyDictionary<MetricFamily, IReadOnlyList<string>> alerts, IReadOnlyDictionary<MetricFamily, IReadOnlyList<string>> dashboards)
    {
        this.Alerts = alerts;
        this.Dashboards = dashboards;
    }

    /// <summary>The alerts that read each family, in alphabetical order.</summary>
    public IReadOnlyDictionary<MetricFamily, IReadOnlyList<string>> Alerts { get; }

    /// <summary>The dashboards (by slug, in the catalogue's order) that read each family.</summary>
    public IReadOnlyDictionary<MetricFamily, IReadOnlyList<string>> Dashboards { get; }

    /// <summary>Renders the rules and the dashboards and reads which families they use.</summary>
    /// <exception cref="InvalidOperationException">The rendered rules lack a bundled alert, so the usage would be incomplete.</exception>
    public static MetricUsage Compute()
    {
        var rules = RuleRenderer.Render(RulesConfiguration.Parse(EveryAlertConfiguration), RuleFormat.Prometheus);
        var alerts = FamiliesPerAlert(rules);
        var missing = typeof(AlertName).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Select(f => (string)f.GetRawConstantValue()!)
            .Where(name => !alerts.ContainsKey(name))
            .ToList();
        if (missing.Count > 0)
        {
            throw new InvalidOperationException($"the rules rendered for the metric catalogue lack {string.Join(", ", missing)}");
        }

        var byDashboard = DashboardCatalog.Specs.Zip(DashboardCatalog.Render())
            .Select(d => (d.First.Slug, Families: Families(string.Join('\n', Expressions(d.Second.Json)))))
            .ToList();

        return new MetricUsage(
            MetricCatalogue.All.ToDictionary(
                f => f,
                f => (IReadOnlyList<string>)[.. alerts.Where(a => a.Value.Contains(f)).Select(a => a.Key).Order(StringComparer.Ordinal)]),
            MetricCatalogue.All.ToDictionary(
                f => f,
                f => (IReadOnlyList<string>)[.. byDashboard.Where(d => d.Families.Contains(f)).Select(d => d.Slug)]));
    }

    /// <summary>Each alert of a rendered rule file and the families its expression reads, through recording rules.</summary>
    private static Dictionary<string, HashSet<MetricFamily>> FamiliesPerAlert(string ruleFile)
    {
        var yaml = new YamlStream();
        using (var reader = new StringReader(ruleFile))
        {
            yaml.Load(reader);
        }

        var recorded = new Dictionary<string, HashSet<MetricFamily>>(StringComparer.Ordinal);
        var alerts = new Dictionary<string, HashSet<MetricFamily>>(StringComparer.Ordinal);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        foreach (var group in ((YamlSequenceNode)root["groups"]).Cast<YamlMappingNode>())
        {
            // Prometheus evaluates recording rules before the rules that read them, so one pass in file order suffices.
            foreach (var rule in ((YamlSequenceNode)group["rules"]).Cast<YamlMappingNode>())
            {
                var expr = Scalar(rule, "expr")!;
                var families = Families(expr);
                foreach (Match token in Token().Matches(expr))
                {
                    if (recorded.TryGetValue(token.Value, out var viaRecording))
                    {
                        families.UnionWith(viaRecording);
                    }
                }

                if (Scalar(rule, "record") is { } record)
                {
                    recorded[record] = families;
                }
                else if (Scalar(rule, "alert") is { } alert)
                {
                    if (!alerts.TryGetValue(alert, out var existing))
                    {
                        alerts[alert] = existing = [];
                    }

                    existing.UnionWith(families);
                }
            }
        }

        return alerts;
    }

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) ? ((YamlScalarNode)value).Value : null;

    /// <summary>The families whose series a PromQL text names (a name is a whole token, not part of a longer one).</summary>
    private static HashSet<MetricFamily> Families(string promql)
    {
        var tokens = Token().Matches(promql).Select(m => m.Value).ToHashSet(StringComparer.Ordinal);
        return [.. MetricCatalogue.All.Where(f => f.SeriesNames.Any(tokens.Contains))];
    }

    /// <summary>Every query of a rendered dashboard: panel targets, template variables and annotations.</summary>
    private static IEnumerable<string> Expressions(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key is "expr" or "query" or "definition" && p.Value is JsonValue v && v.TryGetValue<string>(out var s)
            ? [s]
            : Expressions(p.Value)),
        JsonArray array => array.SelectMany(Expressions),
        _ => [],
    };

    [GeneratedRegex("[A-Za-z_:][A-Za-z0-9_:]*")]
    private static partial Regex Token();
}
