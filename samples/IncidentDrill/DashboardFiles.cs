using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace IncidentDrill;

/// <summary>One PromQL query of a committed dashboard, as Grafana sends it with "All" selected everywhere.</summary>
/// <param name="Dashboard">The dashboard's uid.</param>
/// <param name="Kind"><c>panel</c>, <c>variable</c> or <c>annotation</c>.</param>
/// <param name="Title">Panel title, variable name or annotation name.</param>
/// <param name="RefId">The target's refId (A, B, ...) for panels; empty otherwise.</param>
/// <param name="Query">The query with every template variable replaced.</param>
internal sealed record DashboardFileQuery(string Dashboard, string Kind, string Title, string RefId, string Query)
{
    public const string Panel = "panel";

    /// <summary>Where the query sits, for messages: <c>incidenttelemetry-overview panel "Error ratio" A</c>.</summary>
    public string Source => $"{this.Dashboard} {this.Kind} \"{this.Title}\" {this.RefId}".TrimEnd();
}

/// <summary>
/// The Grafana dashboards committed in dashboards/, read the way a user imports them: the JSON model only
/// (panels[].targets[].expr, panels nested in rows, query variables, annotations), with the template variables
/// replaced as Grafana replaces them before it sends a query to Prometheus.
/// </summary>
/// <remarks>
/// The dashboards' generator (src/IncidentTelemetry.Dashboards, QuerySubstitution) substitutes the same way for
/// its own tests. The drill keeps its own copy because it stands where a user's Grafana stands: it gets the JSON
/// and nothing of the generator, which is a build tool, not a package, and whose types are internal. Both follow
/// Grafana's documented rules; a drift shows as failed queries in the drill's dashboard check.
/// </remarks>
internal static partial class DashboardFiles
{
    /// <summary>Grafana's built-in interval variables, with the values of a 1 h range at a 1 m step and 15 s scrapes.</summary>
    private static readonly Dictionary<string, string> BuiltIns = new(StringComparer.Ordinal)
    {
        ["__rate_interval"] = "1m",
        ["__interval"] = "1m",
        ["__interval_ms"] = "60000",
        ["__range"] = "1h",
        ["__range_s"] = "3600",
        ["__range_ms"] = "3600000",
    };

    /// <summary>Every dashboard file in <paramref name="directory"/>, parsed: those tagged <c>overview</c> first, then by file name.</summary>
    public static IReadOnlyList<JsonObject> Load(string directory) =>
        [.. Directory.GetFiles(directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(f => JsonNode.Parse(File.ReadAllText(f)) as JsonObject ?? throw new InvalidDataException($"{f} is not a JSON object"))
            .OrderBy(d => (d["tags"] as JsonArray ?? []).Any(t => (string?)t == "overview") ? 0 : 1)];

    /// <summary>The dashboard's uid and title.</summary>
    public static (string Uid, string Title) Identity(JsonObject dashboard)
    {
        var uid = (string?)dashboard["uid"] ?? throw new InvalidDataException("a dashboard without uid");
        return (uid, (string?)dashboard["title"] ?? uid);
    }

    /// <summary>Every query variable, annotation and panel target of one dashboard, in that order.</summary>
    public static IEnumerable<DashboardFileQuery> Queries(JsonObject dashboard)
    {
        var (uid, _) = Identity(dashboard);
        var variables = (dashboard["templating"]?["list"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(v => (string?)v["type"] == "query")
            .ToList();

        // Grafana sends a variable's "All" value as it is; with none set it sends (a|b|...), which ".*" stands for.
        var allValues = variables.ToDictionary(v => (string)v["name"]!, v => (string?)v["allValue"] ?? ".*", StringComparer.Ordinal);
        string Substitute(string query) => Variable().Replace(query, m =>
        {
            var name = m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value;
            return BuiltIns.TryGetValue(name, out var value) || allValues.TryGetValue(name, out value) ? value : m.Value;
        });

        foreach (var variable in variables)
        {
            var name = (string)variable["name"]!;
            var definition = LabelValues().Match((string?)variable["definition"] ?? string.Empty);
            if (!definition.Success)
            {
                throw new InvalidDataException($"{uid}: variable {name} is not a label_values query");
            }

            yield return new DashboardFileQuery(uid, "variable", name, string.Empty, Substitute(definition.Groups["selector"].Value.Trim()));
        }

        foreach (var annotation in (dashboard["annotations"]?["list"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)annotation["expr"] is { } expr)
            {
                yield return new DashboardFileQuery(uid, "annotation", (string?)annotation["name"] ?? string.Empty, string.Empty, Substitute(expr));
            }
        }

        foreach (var panel in Panels(dashboard["panels"] as JsonArray))
        {
            foreach (var target in (panel["targets"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if ((string?)target["expr"] is { } expr)
                {
                    yield return new DashboardFileQuery(uid, DashboardFileQuery.Panel, (string?)panel["title"] ?? string.Empty, (string?)target["refId"] ?? string.Empty, Substitute(expr));
                }
            }
        }
    }

    /// <summary>Every panel, those inside a (collapsed) row after the row itself.</summary>
    private static IEnumerable<JsonObject> Panels(JsonArray? panels)
    {
        foreach (var panel in (panels ?? []).OfType<JsonObject>())
        {
            yield return panel;
            foreach (var nested in Panels(panel["panels"] as JsonArray))
            {
                yield return nested;
            }
        }
    }

    [GeneratedRegex(@"\$(?:\{(?<braced>\w+)(?::\w+)?\}|(?<plain>\w+))")]
    private static partial Regex Variable();

    [GeneratedRegex(@"^\s*label_values\((?<selector>.+),\s*(?<label>\w+)\s*\)\s*$", RegexOptions.Singleline)]
    private static partial Regex LabelValues();
}
