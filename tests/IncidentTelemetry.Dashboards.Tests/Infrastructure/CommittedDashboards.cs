using System.Text.Json.Nodes;

namespace IncidentTelemetry.Dashboards.Tests.Infrastructure;

/// <summary>The dashboard JSON files committed in dashboards/, as Grafana would read them.</summary>
internal static class CommittedDashboards
{
    public static IReadOnlyList<string> Files =>
        [.. Directory.GetFiles(Repository.File("dashboards"), "*.json").Select(Path.GetFileName).Order(StringComparer.Ordinal)!];

    /// <summary>xunit data: one row per committed file.</summary>
    public static TheoryData<string> FileNames
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var f in Files)
            {
                data.Add(f);
            }

            return data;
        }
    }

    public static JsonObject Load(string fileName) =>
        JsonNode.Parse(File.ReadAllText(Repository.File("dashboards", fileName)))!.AsObject();

    public static IEnumerable<JsonObject> All() => Files.Select(Load);

    /// <summary>Panels that show data (not rows).</summary>
    public static IEnumerable<JsonObject> DataPanels(JsonObject dashboard) =>
        dashboard["panels"]!.AsArray().Select(p => p!.AsObject()).Where(p => (string?)p["type"] != "row");
}
