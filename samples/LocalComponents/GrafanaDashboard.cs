using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace LocalComponents;

/// <summary>Where a dashboard query sits.</summary>
public enum GrafanaQueryKind
{
    /// <summary>A panel's target.</summary>
    Panel,

    /// <summary>A query variable (the selector inside <c>label_values</c>).</summary>
    Variable,

    /// <summary>An annotation's query.</summary>
    Annotation,
}

/// <summary>One PromQL query of a Grafana dashboard, as Grafana sends it with "All" selected everywhere.</summary>
/// <param name="Dashboard">The dashboard's uid.</param>
/// <param name="Kind">Panel target, query variable or annotation.</param>
/// <param name="Title">Panel title, variable name or annotation name.</param>
/// <param name="RefId">The target's refId (A, B, ...) for panels; empty otherwise.</param>
/// <param name="Expr">The query text in the JSON, with template variables. For a variable: the selector inside label_values.</param>
/// <param name="Substituted">The query with every variable replaced as Grafana would, "All" selected everywhere.</param>
/// <param name="Instant">Whether Grafana runs it as an instant query (stat, table, bar gauge, variables) rather than over a range.</param>
public sealed record GrafanaQuery(string Dashboard, GrafanaQueryKind Kind, string Title, string RefId, string Expr, string Substituted, bool Instant)
{
    /// <summary>Where the query sits, for messages: <c>incidenttelemetry-overview panel "Error ratio" A</c>.</summary>
    public string Source => $"{this.Dashboard} {this.Kind.ToString().ToLowerInvariant()} \"{this.Title}\" {this.RefId}".TrimEnd();
}

/// <summary>
/// Reads a Grafana dashboard's JSON model the way Grafana uses it: every panel target (panels nested in rows too),
/// query variable and annotation, with the template variables replaced as Grafana replaces them before it sends a
/// query to Prometheus. One reader for the drills (which get the committed dashboards/*.json, as a user's Grafana
/// does) and for the dashboard generator's tests (which read back what the generator renders).
/// </summary>
public static partial class GrafanaDashboard
{
    /// <summary>Grafana's built-in interval variables, with the values of a 1 h range at a 1 m step and 15 s scrapes.</summary>
    public static readonly IReadOnlyDictionary<string, string> BuiltIns = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["__rate_interval"] = "1m",
        ["__interval"] = "1m",
        ["__interval_ms"] = "60000",
        ["__range"] = "1h",
        ["__range_s"] = "3600",
        ["__range_ms"] = "3600000",
    };

    /// <summary>Every dashboard file in <paramref name="directory"/>, parsed: those tagged <c>overview</c> first, then by file name.</summary>
    /// <param name="directory">A folder of dashboard JSON files.</param>
    /// <returns>The dashboards' JSON models.</returns>
    public static IReadOnlyList<JsonObject> Load(string directory) =>
        [.. Directory.GetFiles(directory, "*.json")
            .Order(StringComparer.Ordinal)
            .Select(f => JsonNode.Parse(File.ReadAllText(f)) as JsonObject ?? throw new InvalidDataException($"{f} is not a JSON object"))
            .OrderBy(d => (d["tags"] as JsonArray ?? []).Any(t => (string?)t == "overview") ? 0 : 1)];

    /// <summary>The dashboard's uid and title.</summary>
    /// <param name="dashboard">A dashboard's JSON model.</param>
    /// <returns>Its uid, and its title (the uid when it has none).</returns>
    public static (string Uid, string Title) Identity(JsonObject dashboard)
    {
        var uid = (string?)dashboard["uid"] ?? throw new InvalidDataException("a dashboard without uid");
        return (uid, (string?)dashboard["title"] ?? uid);
    }

    /// <summary>Every query variable, annotation and panel target of one dashboard, in that order.</summary>
    /// <param name="dashboard">A dashboard's JSON model.</param>
    /// <returns>The queries, raw and substituted.</returns>
    /// <exception cref="InvalidDataException">A query variable is not a <c>label_values</c> query.</exception>
    public static IEnumerable<GrafanaQuery> Queries(JsonObject dashboard)
    {
        var (uid, _) = Identity(dashboard);
        var variables = (dashboard["templating"]?["list"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(v => (string?)v["type"] == "query")
            .ToList();

        // Grafana sends a variable's "All" value as it is; with none set it sends (a|b|...), which ".*" stands for.
        var allValues = variables.ToDictionary(v => (string)v["name"]!, v => (string?)v["allValue"] ?? ".*", StringComparer.Ordinal);
        string? AllValue(string name) => allValues.TryGetValue(name, out var value) ? value : null;

        foreach (var variable in variables)
        {
            var name = (string)variable["name"]!;
            var selector = LabelValuesSelector((string?)variable["definition"] ?? string.Empty)
                ?? throw new InvalidDataException($"{uid}: variable {name} is not a label_values query");
            yield return new GrafanaQuery(uid, GrafanaQueryKind.Variable, name, string.Empty, selector, Apply(selector, AllValue), Instant: true);
        }

        foreach (var annotation in (dashboard["annotations"]?["list"] as JsonArray ?? []).OfType<JsonObject>())
        {
            if ((string?)annotation["expr"] is { } expr)
            {
                yield return new GrafanaQuery(uid, GrafanaQueryKind.Annotation, (string?)annotation["name"] ?? string.Empty, string.Empty, expr, Apply(expr, AllValue), Instant: false);
            }
        }

        foreach (var panel in Panels(dashboard["panels"] as JsonArray))
        {
            foreach (var target in (panel["targets"] as JsonArray ?? []).OfType<JsonObject>())
            {
                if ((string?)target["expr"] is { } expr)
                {
                    yield return new GrafanaQuery(
                        uid,
                        GrafanaQueryKind.Panel,
                        (string?)panel["title"] ?? string.Empty,
                        (string?)target["refId"] ?? string.Empty,
                        expr,
                        Apply(expr, AllValue),
                        Instant: (bool?)target["instant"] ?? false);
                }
            }
        }
    }

    /// <summary>Every <c>$name</c>, <c>${name}</c> and <c>${name:format}</c> in <paramref name="query"/>.</summary>
    /// <param name="query">A query with template variables.</param>
    /// <returns>The variables' names, in order, repeated as often as they occur.</returns>
    public static IEnumerable<string> VariablesIn(string query) => VariablePattern().Matches(query).Select(m => Name(m));

    /// <summary>
    /// Substitutes built-ins with <see cref="BuiltIns"/> and every other variable with <paramref name="allValue"/>
    /// (the "All" value, a regex). A name that is neither is left as it is, so that Prometheus rejects the query.
    /// </summary>
    /// <param name="query">A query with template variables.</param>
    /// <param name="allValue">The "All" value of a dashboard variable, or null when the dashboard has no such variable.</param>
    /// <returns>The query as Grafana sends it.</returns>
    public static string Apply(string query, Func<string, string?> allValue) =>
        VariablePattern().Replace(query, m =>
        {
            var name = Name(m);
            return BuiltIns.TryGetValue(name, out var builtIn) ? builtIn : allValue(name) ?? m.Value;
        });

    /// <summary>The selector inside <c>label_values(selector, label)</c>, or null for another kind of query.</summary>
    /// <param name="query">A variable's definition.</param>
    /// <returns>The selector, trimmed, or null.</returns>
    public static string? LabelValuesSelector(string query)
    {
        var m = LabelValuesPattern().Match(query);
        return m.Success ? m.Groups["selector"].Value.Trim() : null;
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

    private static string Name(Match m) => m.Groups["braced"].Success ? m.Groups["braced"].Value : m.Groups["plain"].Value;

    [GeneratedRegex(@"\$(?:\{(?<braced>\w+)(?::\w+)?\}|(?<plain>\w+))")]
    private static partial Regex VariablePattern();

    [GeneratedRegex(@"^\s*label_values\((?<selector>.+),\s*(?<label>\w+)\s*\)\s*$", RegexOptions.Singleline)]
    private static partial Regex LabelValuesPattern();
}
