using System.Text.Json.Nodes;


namespace IncidentTelemetry.Drills.Tests;

/// <summary>
/// The drill reads the dashboards as a user imports them: the committed JSON, every target of every panel
/// (rows' panels too), variables replaced as Grafana replaces them.
/// </summary>
public sealed class GrafanaDashboardTests
{
    [Fact]
    public void Queries_CommittedDashboards_EveryTargetVariableAndAnnotationWithNoVariableLeft()
    {
        foreach (var dashboard in GrafanaDashboard.Load(Repository.File("dashboards")))
        {
            var (uid, _) = GrafanaDashboard.Identity(dashboard);
            var queries = GrafanaDashboard.Queries(dashboard).ToList();

            var targets = Targets(dashboard["panels"]!.AsArray());
            Assert.True(targets > 0, uid);
            Assert.Equal(targets, queries.Count(q => q.Kind == GrafanaQueryKind.Panel));
            Assert.Equal(dashboard["templating"]!["list"]!.AsArray().Count(v => (string?)v!["type"] == "query"), queries.Count(q => q.Kind == GrafanaQueryKind.Variable));
            Assert.All(queries, q => Assert.DoesNotContain("$", q.Substituted, StringComparison.Ordinal));
        }
    }

    private static int Targets(JsonArray panels) =>
        panels.Sum(p => (p!["targets"]?.AsArray().Count ?? 0) + (p["panels"] is JsonArray nested ? Targets(nested) : 0));

    [Fact]
    public void Queries_PanelsInACollapsedRowAndVariables_SubstitutedAsGrafanaSends()
    {
        var dashboard = JsonNode.Parse("""
            {
              "uid": "d", "title": "D",
              "templating": { "list": [
                { "type": "datasource", "name": "datasource" },
                { "type": "query", "name": "job", "allValue": ".*", "definition": "label_values(up, job)" },
                { "type": "query", "name": "route", "definition": "label_values(http_route_seconds_count{job=~\"$job\"}, http_route)" }
              ] },
              "annotations": { "list": [ { "name": "Firing", "expr": "ALERTS{job=~\"$job\"}" }, { "name": "Built-in" } ] },
              "panels": [
                { "type": "row", "title": "Collapsed", "panels": [
                  { "type": "timeseries", "title": "Rate", "targets": [ { "refId": "A", "expr": "rate(x{job=~\"${job}\", r=~\"${route:regex}\"}[$__rate_interval])" } ] }
                ] },
                { "type": "stat", "title": "Range", "targets": [ { "refId": "B", "expr": "increase(y[$__range]) + $unknown" } ] }
              ]
            }
            """)!.AsObject();

        var queries = GrafanaDashboard.Queries(dashboard).Select(q => (q.Source, q.Substituted)).ToList();

        Assert.Equal(
            [
                ("d variable \"job\"", "up"),
                ("d variable \"route\"", "http_route_seconds_count{job=~\".*\"}"),
                ("d annotation \"Firing\"", "ALERTS{job=~\".*\"}"),
                ("d panel \"Rate\" A", "rate(x{job=~\".*\", r=~\".*\"}[1m])"),

                // A name that is neither a built-in nor a variable stays, so Prometheus rejects the query and the drill reports it.
                ("d panel \"Range\" B", "increase(y[1h]) + $unknown"),
            ],
            queries);
    }
}
