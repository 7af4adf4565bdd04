using System.Text.Json.Nodes;
using IncidentTelemetry.Dashboards.Definitions;
using IncidentTelemetry.Dashboards.Model;
using IncidentTelemetry.Dashboards.Rendering;

namespace IncidentTelemetry.Dashboards;

/// <summary>Every dashboard, rendered, and every query they send to Prometheus.</summary>
internal static class DashboardCatalog
{
    /// <summary>The dashboard definitions, overview first.</summary>
    public static IReadOnlyList<DashboardSpec> Specs { get; } =
    [
        ServiceOverview.Build(),
        Endpoints.Build(),
        Dependencies.Build(),
        DatabasePools.Build(),
        SessionsRedis.Build(),
        Authentication.Build(),
        RuntimeMemory.Build(),
    ];

    /// <summary>File name (in dashboards/) and the rendered JSON of every dashboard.</summary>
    public static IReadOnlyList<(string FileName, JsonObject Json)> Render()
    {
        var bySlug = Specs.ToDictionary(s => s.Slug, StringComparer.Ordinal);
        return [.. Specs.Select(s => (s.FileName, DashboardRenderer.Render(s, bySlug)))];
    }

    /// <summary>Writes every dashboard into <paramref name="directory"/>; returns the paths written.</summary>
    public static IReadOnlyList<string> WriteTo(string directory)
    {
        Directory.CreateDirectory(directory);
        var written = new List<string>();
        foreach (var (fileName, json) in Render())
        {
            var path = Path.Combine(directory, fileName);
            File.WriteAllText(path, DashboardRenderer.ToJson(json));
            written.Add(path);
        }

        return written;
    }

    /// <summary>Every panel, variable and annotation query of every rendered dashboard.</summary>
    public static IReadOnlyList<DashboardQuery> AllQueries() => [.. Render().SelectMany(d => QueriesOf(d.Json))];

    /// <summary>
    /// The queries of one rendered dashboard, read back from its JSON (so they are exactly what Grafana
    /// would send), with variables substituted by their "All" values.
    /// </summary>
    public static IEnumerable<DashboardQuery> QueriesOf(JsonObject dashboard)
    {
        var uid = (string)dashboard["uid"]!;
        var allValues = new Dictionary<string, string>(StringComparer.Ordinal);
        var variableQueries = new List<(string Name, string Selector)>();
        foreach (var variable in dashboard["templating"]!["list"]!.AsArray())
        {
            if ((string?)variable!["type"] != "query")
            {
                continue;
            }

            var name = (string)variable["name"]!;

            // Grafana sends the "All" value as is; with none set it would send (a|b|...), which ".*" stands for.
            allValues[name] = (string?)variable["allValue"] ?? ".*";
            var selector = QuerySubstitution.LabelValuesSelector((string)variable["definition"]!)
                ?? throw new InvalidOperationException($"{uid}: variable {name} is not a label_values query");
            variableQueries.Add((name, selector));
        }

        string? AllValue(string name) => allValues.TryGetValue(name, out var value) ? value : null;

        foreach (var (name, selector) in variableQueries)
        {
            yield return new DashboardQuery(uid, QueryKind.Variable, name, string.Empty, selector, QuerySubstitution.Apply(selector, AllValue), Instant: true);
        }

        foreach (var annotation in dashboard["annotations"]!["list"]!.AsArray())
        {
            if (annotation!["expr"] is { } expr)
            {
                var text = (string)expr!;
                yield return new DashboardQuery(uid, QueryKind.Annotation, (string)annotation["name"]!, string.Empty, text, QuerySubstitution.Apply(text, AllValue), Instant: false);
            }
        }

        foreach (var panel in dashboard["panels"]!.AsArray())
        {
            if (panel!["targets"] is not JsonArray targets)
            {
                continue;
            }

            foreach (var target in targets)
            {
                var text = (string)target!["expr"]!;
                yield return new DashboardQuery(
                    uid, QueryKind.Panel, (string)panel["title"]!, (string)target["refId"]!, text, QuerySubstitution.Apply(text, AllValue), Instant: (bool)target["instant"]!);
            }
        }
    }
}
