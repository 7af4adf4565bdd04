using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentTelemetry.Dashboards.Tests.Infrastructure;

namespace IncidentTelemetry.Dashboards.Tests.Rendering;

/// <summary>What Grafana checks (or silently gets wrong) when it imports the committed JSON.</summary>
public sealed class DashboardRendererTests
{
    private const string DatasourceVariable = "${datasource}";

    private static readonly string[] Units = ["s", "bytes", "Bps", "percentunit", "reqps", "cps", "ops", "short"];

    public static TheoryData<string> Files => CommittedDashboards.FileNames;

    [Theory]
    [MemberData(nameof(Files))]
    public void Render_Dashboard_IsImportReady(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(Repository.File("dashboards", file)));
        var d = CommittedDashboards.Load(file);

        var input = Assert.Single(d["__inputs"]!.AsArray())!;
        Assert.Equal("DS_PROMETHEUS", (string?)input["name"]);
        Assert.Equal("prometheus", (string?)input["pluginId"]);
        var uid = (string?)d["uid"];
        Assert.StartsWith("incidenttelemetry-", uid, StringComparison.Ordinal);
        Assert.True(uid!.Length <= 40, uid);
        Assert.Equal(Path.GetFileNameWithoutExtension(file), uid["incidenttelemetry-".Length..]);
        Assert.Null(d["id"]);
        Assert.Contains("incident-telemetry", d["tags"]!.AsArray().Select(t => (string?)t));
        Assert.StartsWith("now-", (string?)d["time"]!["from"], StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty((string?)d["refresh"]));

        var datasource = d["templating"]!["list"]!.AsArray().Single(v => (string?)v!["name"] == "datasource")!;
        Assert.Equal("datasource", (string?)datasource["type"]);
        Assert.Equal("prometheus", (string?)datasource["query"]);
        Assert.Equal("${DS_PROMETHEUS}", (string?)datasource["current"]!["value"]);
    }

    [Fact]
    public void Render_AllDashboards_UidsAndTitlesUnique()
    {
        var dashboards = CommittedDashboards.All().ToList();

        Assert.Equal(8, dashboards.Count);
        Assert.Equal(dashboards.Count, dashboards.Select(d => (string?)d["uid"]).Distinct().Count());
        Assert.Equal(dashboards.Count, dashboards.Select(d => (string?)d["title"]).Distinct().Count());
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Render_Panels_UniqueIdsWithinGridWithoutOverlap(string file)
    {
        var panels = CommittedDashboards.Load(file)["panels"]!.AsArray().Select(p => p!.AsObject()).ToList();
        Assert.NotEmpty(panels);

        var ids = panels.Select(p => (int)p["id"]!).ToList();
        Assert.Equal(ids.Count, ids.Distinct().Count());

        var boxes = panels.Select(p => (Title: (string?)p["title"], X: (int)p["gridPos"]!["x"]!, Y: (int)p["gridPos"]!["y"]!, W: (int)p["gridPos"]!["w"]!, H: (int)p["gridPos"]!["h"]!)).ToList();
        foreach (var b in boxes)
        {
            Assert.True(b.X >= 0 && b.Y >= 0 && b.W >= 1 && b.H >= 1 && b.X + b.W <= 24, $"{b.Title}: {b}");
        }

        for (var i = 0; i < boxes.Count; i++)
        {
            for (var j = i + 1; j < boxes.Count; j++)
            {
                var (a, b) = (boxes[i], boxes[j]);
                var overlap = a.X < b.X + b.W && b.X < a.X + a.W && a.Y < b.Y + b.H && b.Y < a.Y + a.H;
                Assert.False(overlap, $"'{a.Title}' {a} overlaps '{b.Title}' {b}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Render_EveryDatasourceReference_IsTheVariable(string file)
    {
        var references = new List<(string Path, JsonNode? Value)>();
        Collect(CommittedDashboards.Load(file), "$", references);

        Assert.NotEmpty(references);
        foreach (var (path, value) in references)
        {
            var reference = Assert.IsType<JsonObject>(value);
            Assert.Equal("prometheus", (string?)reference["type"]);
            Assert.True((string?)reference["uid"] == DatasourceVariable, $"{path}: {reference.ToJsonString()}");
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Render_DataPanels_HaveUnitsAndTargets(string file)
    {
        foreach (var panel in CommittedDashboards.DataPanels(CommittedDashboards.Load(file)))
        {
            var title = (string?)panel["title"];
            Assert.Contains((string?)panel["fieldConfig"]!["defaults"]!["unit"], Units);
            Assert.NotEmpty(panel["targets"]!.AsArray());
            Assert.False(string.IsNullOrWhiteSpace((string?)panel["description"]), title);
        }
    }

    [Fact]
    public void Render_Links_ResolveBetweenOverviewAndEveryDrillDown()
    {
        var dashboards = CommittedDashboards.All().ToDictionary(d => (string)d["uid"]!);
        const string overview = "incidenttelemetry-overview";
        Assert.Contains(overview, dashboards.Keys);

        foreach (var (uid, d) in dashboards)
        {
            var linked = d["links"]!.AsArray().Select(l => UidOf((string)l!["url"]!)).ToList();
            Assert.All(linked, target => Assert.Contains(target, dashboards.Keys));
            Assert.All(d["links"]!.AsArray(), l => Assert.True((bool)l!["includeVars"]! && (bool)l["keepTime"]!));
            if (uid != overview)
            {
                Assert.Contains(overview, linked);
            }
        }

        var overviewPanelTargets = CommittedDashboards.DataPanels(dashboards[overview])
            .SelectMany(p => p["links"]!.AsArray())
            .Select(l => UidOf((string)l!["url"]!))
            .ToHashSet();
        Assert.All(overviewPanelTargets, target => Assert.Contains(target, dashboards.Keys));

        // Every drill-down is reachable from an overview panel, and the overview lists them all.
        Assert.Equal(dashboards.Keys.Where(k => k != overview).Order(), overviewPanelTargets.Order());
        Assert.Equal(dashboards.Keys.Where(k => k != overview).Order(), dashboards[overview]["links"]!.AsArray().Select(l => UidOf((string)l!["url"]!)).Order());
    }

    [Fact]
    public void Render_Overview_AnnotatesFiringAlerts()
    {
        var annotation = Assert.Single(CommittedDashboards.Load("overview.json")["annotations"]!["list"]!.AsArray())!;

        Assert.Equal("ALERTS{alertstate=\"firing\"}", (string?)annotation["expr"]);
        Assert.True((bool)annotation["enable"]!);
    }

    private static string UidOf(string url)
    {
        Assert.StartsWith("/d/", url, StringComparison.Ordinal);
        var rest = url[3..];
        var end = rest.IndexOfAny(['?', '/']);
        return end < 0 ? rest : rest[..end];
    }

    private static void Collect(JsonNode? node, string path, List<(string, JsonNode?)> found)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var (key, value) in o)
                {
                    if (key == "datasource")
                    {
                        found.Add(($"{path}.{key}", value));
                    }
                    else
                    {
                        Collect(value, $"{path}.{key}", found);
                    }
                }

                break;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    Collect(a[i], $"{path}[{i}]", found);
                }

                break;
        }
    }
}
