using System.Globalization;
using System.Text;
using IncidentDrill.Report;
using LocalComponents;

namespace IncidentDrill;

/// <summary>The outcome of one drill: when each expected alert fired, which did not, and which fired unasked.</summary>
internal sealed record DrillResult(
    Drill Drill,
    IReadOnlyDictionary<string, TimeSpan> Fired,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> FalseAlarms,
    IReadOnlyList<string> LabelProblems,
    IReadOnlyList<PrometheusAlert> Firings,
    TimeSpan? IncidentStart,
    string? Error)
{
    /// <summary>The charts and times of the expected alerts, when the run writes a report.</summary>
    public DrillEvidence? Evidence { get; init; }

    /// <summary>How long the drill took, from the first component started to the last stopped.</summary>
    public TimeSpan Duration { get; init; }

    public bool Passed => this.Error is null && this.Missing.Count == 0 && this.Unexpected.Count == 0 && this.FalseAlarms.Count == 0 && this.LabelProblems.Count == 0;

    public string Summary()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"  {(this.Passed ? "PASS" : "FAIL")} {this.Drill.Name} {this.Drill.Title}");
        if (this.IncidentStart is { } start)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n       incident began at {DrillLog.Stamp(start)}");
        }

        foreach (var alert in this.Drill.ExpectedAlerts)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n       {alert,-36} {(this.Fired.TryGetValue(alert, out var at) ? $"fired at {DrillLog.Stamp(at)} (+{(int)(at - (this.IncidentStart ?? TimeSpan.Zero)).TotalSeconds}s)" : "DID NOT FIRE")}");
        }

        foreach (var alert in this.Unexpected)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n       {alert,-36} fired, but is unrelated to this incident");
        }

        foreach (var alert in this.FalseAlarms)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n       {alert,-36} fired during normal traffic, before the incident");
        }

        foreach (var problem in this.LabelProblems)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n       {problem}");
        }

        if (this.Error is not null)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n       error: {this.Error}");
        }

        return text.ToString();
    }
}

/// <summary>Runs one drill in fresh components and judges it.</summary>
internal static class DrillRunner
{
    private static readonly string[] RequiredAnnotations = ["summary", "description", "runbook_url"];

    /// <param name="chartsDirectory">Where to draw the charts of the expected alerts; null for none.</param>
    public static async Task<DrillResult> RunAsync(Drill drill, string? rulesFile, DashboardCoverage dashboards, TextWriter output, CancellationToken token, DrillProgress? progress = null, string? chartsDirectory = null)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var log = new DrillLog(output);
        output.WriteLine();
        output.WriteLine($"=== {drill.Name}: {drill.Title}");
        output.WriteLine($"    expects {string.Join(", ", drill.ExpectedAlerts)}");
        using var rules = new LocalComponents.TempDirectory("it-drill-rules-");
        var context = new DrillContext(log, rulesFile ?? await DrillRules.RenderAsync(rules.Path, drill.Services, DrillTiming.Scale), token, progress);
        IReadOnlyList<string> missing = drill.ExpectedAlerts;
        string? error = null;
        IReadOnlyDictionary<string, TimeSpan> fired = new Dictionary<string, TimeSpan>();
        IReadOnlyList<string> falseAlarms = [];
        IReadOnlyList<PrometheusAlert> firings = [];
        DrillEvidence? evidence = null;
        try
        {
            missing = await drill.RunAsync(context);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !token.IsCancellationRequested)
        {
            error = $"{ex.GetType().Name}: {ex.Message}";
        }
        finally
        {
            var start = context.IncidentStart ?? log.Elapsed;
            fired = context.Alerts?.FiredSince(start) ?? new Dictionary<string, TimeSpan>();
            falseAlarms = context.Alerts?.FiredBefore(start) ?? [];
            firings = context.Alerts?.FiringsSince(start) ?? [];
            if (context.Prometheus is { } prometheus && context.IncidentStart is not null && !token.IsCancellationRequested)
            {
                // While the services still run: what the on-call engineer would see on the dashboards now.
                var withData = await dashboards.CheckAsync(drill.Name, prometheus, token);
                log.Line($"dashboards: {withData} of {dashboards.Count} queries return data now");
                if (chartsDirectory is not null)
                {
                    progress?.Phase("charts", null);
                    try
                    {
                        evidence = await DrillEvidence.GatherAsync(drill, context, prometheus, firings, dashboards, chartsDirectory, token);
                        log.Line($"charts: {evidence.Alerts.Count(a => a.Chart is not null)} of {drill.ExpectedAlerts.Count} drawn from Prometheus in {evidence.Took.TotalSeconds:0.0}s");
                    }
                    catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or IOException or TaskCanceledException)
                    {
                        // The verdict stands without its charts; the report says they are missing.
                        log.Line($"charts: could not gather them: {ex.GetType().Name}: {ex.Message}");
                    }
                }
            }

            progress?.Phase("stopping", null);
            log.Line("stopping everything the drill started");
            await context.DisposeAsync();
        }

        var unexpected = fired.Keys.Where(a => !drill.ExpectedAlerts.Contains(a) && !drill.ToleratedAlerts.Contains(a)).Order(StringComparer.Ordinal).ToList();
        var labelProblems = drill.ExpectedAlerts.Where(fired.ContainsKey).Select(a => LabelProblem(drill, a, firings)).OfType<string>().ToList();
        var result = new DrillResult(drill, fired, missing, unexpected, falseAlarms, labelProblems, firings, context.IncidentStart, error) { Evidence = evidence, Duration = clock.Elapsed };
        output.WriteLine(result.Summary());
        return result;
    }

    /// <summary>
    /// What the on-call engineer needs on the page: the alert names the right service and team, has a
    /// severity and priority, and says what happened and where the runbook is. Null when one firing has it all.
    /// </summary>
    private static string? LabelProblem(Drill drill, string alert, IReadOnlyList<PrometheusAlert> firings)
    {
        var service = drill.ServiceOf(alert);
        var team = Teams.Of(service);
        var instances = firings.Where(f => f.Name == alert).ToList();
        var good = instances.Any(f =>
            f.Labels.GetValueOrDefault("service") == service
            && f.Labels.GetValueOrDefault("team") == team
            && f.Labels.GetValueOrDefault("severity") is "warning" or "critical"
            && !string.IsNullOrEmpty(f.Labels.GetValueOrDefault("priority"))
            && RequiredAnnotations.All(a => !string.IsNullOrWhiteSpace(f.Annotations.GetValueOrDefault(a))));
        if (good)
        {
            return null;
        }

        var seen = string.Join("; ", instances.Select(f => string.Join(",", f.Labels.Where(l => l.Key is "service" or "team" or "severity" or "priority").Select(l => $"{l.Key}={l.Value}")) + $" annotations={string.Join(",", f.Annotations.Keys)}"));
        return $"{alert} fired without service={service}, team={team}, severity, priority, summary, description and runbook_url: {seen}";
    }
}
