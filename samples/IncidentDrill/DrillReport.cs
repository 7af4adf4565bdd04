using System.Text.Json;
using System.Text.Json.Nodes;
using IncidentDrill.Report;

namespace IncidentDrill;

/// <summary>
/// The results of a run as JSON (<c>--report FILE</c>), for the end-to-end tests and for CI artifacts:
/// per drill, what fired when and with which labels, and the dashboard queries that had data; with charts,
/// per expected alert the loaded rule, the series and threshold drawn, the times to pending and firing, and
/// where each chart's data came from (the query, the points Prometheus returned, its raw answer's file).
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
                ["seconds"] = Math.Round(r.Duration.TotalSeconds, 1),
                ["evidence"] = r.Evidence is { } e ? Evidence(e) : null,
                ["timeline"] = Timeline(r),
                ["vmalert"] = r.Vmalert is { } vm ? Vmalert(vm, r.IncidentStart ?? TimeSpan.Zero) : null,
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

    private static double? Round(double? seconds) => seconds is { } s ? Math.Round(s, 1) : null;

    /// <summary>
    /// From the start of the build-up: each expected alert's first firing and customer impact, in real seconds and in
    /// unscaled minutes (× the time scale), and the lead time (impact − first alert; positive when the alert came first).
    /// </summary>
    private static JsonObject Timeline(DrillResult r)
    {
        var start = r.IncidentStart ?? TimeSpan.Zero;
        JsonObject Moment(TimeSpan at) => new()
        {
            ["secondsAfterBuildUp"] = Math.Round((at - start).TotalSeconds, 1),
            ["unscaledMinutes"] = Math.Round(LeadTime.Unscaled(at - start).TotalMinutes, 1),
        };
        var alerts = new JsonObject();
        foreach (var alert in r.Drill.ExpectedAlerts.Where(r.Fired.ContainsKey))
        {
            alerts[alert] = Moment(r.Fired[alert]);
        }

        return new JsonObject
        {
            ["timeScale"] = DrillTiming.Scale,
            ["buildUpAt"] = r.IncidentStart is { } s ? Math.Round(s.TotalSeconds, 1) : null,
            ["alerts"] = alerts,
            ["impact"] = new JsonObject
            {
                ["description"] = r.Drill.Impact.Description,
                ["query"] = r.Drill.Impact.Query,
                ["observed"] = r.ImpactAt is { } hit ? Moment(hit) : null,
            },
            ["firstAlert"] = r.FirstAlert?.Alert,
            ["leadTimeSeconds"] = r.LeadTime is { } lead ? Math.Round(lead.TotalSeconds, 1) : null,
            ["leadTimeUnscaledMinutes"] = r.LeadTime is { } l ? Math.Round(LeadTime.Unscaled(l).TotalMinutes, 1) : null,
            ["leadTime"] = r.LeadTimeText(),
        };
    }

    private static JsonObject Vmalert(VmalertVerdict vm, TimeSpan start) => new()
    {
        ["agrees"] = vm.Agrees,
        ["fired"] = new JsonObject(vm.Fired.Select(f => KeyValuePair.Create(f.Key, (JsonNode?)Math.Round((f.Value - start).TotalSeconds, 1)))),
        ["missing"] = new JsonArray([.. vm.Missing.Select(a => (JsonNode?)a)]),
        ["unexpected"] = new JsonArray([.. vm.Unexpected.Select(a => (JsonNode?)a)]),
        ["falseAlarms"] = new JsonArray([.. vm.FalseAlarms.Select(a => (JsonNode?)a)]),
        ["labelDifferences"] = new JsonArray([.. vm.LabelDifferences.Select(a => (JsonNode?)a)]),
        ["values"] = new JsonArray([.. vm.Values.Select(v => (JsonNode?)new JsonObject
        {
            ["name"] = v.Name,
            ["kind"] = v.Kind,
            ["points"] = v.Points,
            ["medianRelativeDifference"] = Math.Round(v.Median, 4),
            ["maxRelativeDifference"] = Math.Round(v.Max, 4),
        })]),
        ["valuesError"] = vm.ValuesError,
    };

    private static JsonObject Evidence(DrillEvidence e)
    {
        var alerts = new JsonArray();
        foreach (var a in e.Alerts)
        {
            alerts.Add(new JsonObject
            {
                ["name"] = a.Alert,
                ["service"] = a.Service,
                ["rule"] = a.Rule,
                ["watched"] = a.Watched is { } w ? new JsonObject { ["left"] = w.Left, ["operator"] = w.Operator, ["right"] = w.Right, ["threshold"] = w.Scalar } : null,
                ["secondsToPending"] = Round(a.ToPending),
                ["secondsToFiring"] = Round(a.ToFiring),
                ["intervals"] = new JsonArray([.. a.Intervals.Select(i => (JsonNode?)new JsonObject { ["state"] = i.State, ["from"] = Round(i.From), ["to"] = Round(i.To) })]),
                ["labels"] = new JsonObject(a.Labels.Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
                ["runbook"] = a.Runbook,
                ["dashboards"] = new JsonArray([.. a.Dashboards.Select(d => (JsonNode?)d)]),
                ["chart"] = a.Chart is { } c ? new JsonObject
                {
                    ["file"] = c.File,
                    ["width"] = c.Width,
                    ["height"] = c.Height,
                    ["query"] = c.Query,
                    ["start"] = c.Start,
                    ["end"] = c.End,
                    ["step"] = c.Step,
                    ["series"] = c.Series,
                    ["points"] = c.Points,
                    ["plottedMax"] = c.PlottedMax,
                    ["raw"] = c.RawFile,
                    ["drawnThreshold"] = c.DrawnThreshold,
                    ["thresholdQuery"] = c.ThresholdQuery,
                    ["thresholdPoints"] = c.ThresholdPoints,
                } : null,
                ["problem"] = a.Problem,
            });
        }

        return new JsonObject
        {
            ["from"] = e.From.ToUnixTimeMilliseconds() / 1000.0,
            ["incidentAt"] = e.IncidentAt.ToUnixTimeMilliseconds() / 1000.0,
            ["to"] = e.To.ToUnixTimeMilliseconds() / 1000.0,
            ["rules"] = e.RulesFile,
            ["chartsSeconds"] = Math.Round(e.Took.TotalSeconds, 2),
            ["alerts"] = alerts,
        };
    }
}
