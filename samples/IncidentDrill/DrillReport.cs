using System.Text.Json;
using System.Text.Json.Nodes;

namespace IncidentDrill;

/// <summary>
/// The results of a run as JSON (<c>--report FILE</c>), for the end-to-end tests and for CI artifacts:
/// per drill, what fired when and with which labels, and the dashboard queries that had data.
/// </summary>
internal static class DrillReport
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public static async Task WriteAsync(string path, IReadOnlyList<DrillResult> results, DashboardCoverage dashboards, IReadOnlyList<string> dashboardProblems)
    {
        var drills = new JsonArray();
        foreach (var r in results)
        {
            var fired = new JsonObject();
            foreach (var (alert, at) in r.Fired)
            {
                var instance = r.Firings.FirstOrDefault(f => f.Name == alert);
                fired[alert] = new JsonObject
                {
                    ["secondsAfterIncident"] = (int)(at - (r.IncidentStart ?? TimeSpan.Zero)).TotalSeconds,
                    ["labels"] = instance is null ? null : new JsonObject(instance.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
                };
            }

            drills.Add(new JsonObject
            {
                ["name"] = r.Drill.Name,
                ["title"] = r.Drill.Title,
                ["passed"] = r.Passed,
                ["expected"] = new JsonArray([.. r.Drill.ExpectedAlerts.Select(a => (JsonNode?)a)]),
                ["fired"] = fired,
                ["missing"] = new JsonArray([.. r.Missing.Select(a => (JsonNode?)a)]),
                ["unexpected"] = new JsonArray([.. r.Unexpected.Select(a => (JsonNode?)a)]),
                ["falseAlarms"] = new JsonArray([.. r.FalseAlarms.Select(a => (JsonNode?)a)]),
                ["labelProblems"] = new JsonArray([.. r.LabelProblems.Select(a => (JsonNode?)a)]),
                ["error"] = r.Error,
            });
        }

        var report = new JsonObject
        {
            ["drills"] = drills,
            ["dashboards"] = new JsonObject
            {
                ["summary"] = dashboards.Summary(),
                ["problems"] = new JsonArray([.. dashboardProblems.Select(p => (JsonNode?)p)]),
            },
        };
        await File.WriteAllTextAsync(path, report.ToJsonString(Indented));
    }
}
