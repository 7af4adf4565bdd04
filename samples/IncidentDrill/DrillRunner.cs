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

    /// <summary>When customer impact was first observed (time since the drill started), or null when it was not.</summary>
    public TimeSpan? ImpactAt { get; init; }

    /// <summary>What vmalert did with the same rules and samples, when the drill ran under vmalert too.</summary>
    public VmalertVerdict? Vmalert { get; init; }

    /// <summary>The first expected alert to fire (time since the drill started), or null.</summary>
    public (string Alert, TimeSpan At)? FirstAlert
        => this.Drill.ExpectedAlerts.Where(this.Fired.ContainsKey).Select(a => (Alert: a, At: this.Fired[a])).OrderBy(a => a.At).Cast<(string, TimeSpan)?>().FirstOrDefault();

    /// <summary>Impact minus the first expected alert: positive when the alert came first; null when either is missing.</summary>
    public TimeSpan? LeadTime => IncidentDrill.LeadTime.Of(this.FirstAlert?.At, this.ImpactAt);

    /// <summary>Time from the start of the build-up, or null when the incident never began.</summary>
    public TimeSpan? SinceBuildUp(TimeSpan at) => this.IncidentStart is { } start ? at - start : null;

    public bool Passed => this.Error is null && this.Missing.Count == 0 && this.Unexpected.Count == 0 && this.FalseAlarms.Count == 0 && this.LabelProblems.Count == 0
        && (this.Vmalert is null || this.Vmalert.Agrees);

    /// <summary>"12 s before impact (6 min unscaled): ConnectionPoolUtilisationCritical first", or why there is none.</summary>
    public string LeadTimeText()
        => (this.FirstAlert, this.LeadTime) switch
        {
            ({ } first, { } lead) => $"{IncidentDrill.LeadTime.Describe(lead)}: {first.Alert} first",
            (null, _) => "none: no expected alert fired",
            ({ } first, null) => $"none: impact was not reached while the drill ran ({first.Alert} fired first)",
        };

    public string Summary()
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"  {(this.Passed ? "PASS" : "FAIL")} {this.Drill.Name} {this.Drill.Title}");
        if (this.IncidentStart is { } start)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n       build-up began at {DrillLog.Stamp(start)} (times after it: real, and unscaled at time scale {DrillTiming.Scale})");
        }

        foreach (var alert in this.Drill.ExpectedAlerts)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n       {alert,-36} {(this.Fired.TryGetValue(alert, out var at) ? $"fired at {DrillLog.Stamp(at)} {IncidentDrill.LeadTime.Format(at - (this.IncidentStart ?? TimeSpan.Zero))}" : "DID NOT FIRE")}");
        }

        text.Append(CultureInfo.InvariantCulture, $"\n       {"impact: " + this.Drill.Impact.Description,-36} {(this.ImpactAt is { } hit ? $"at {DrillLog.Stamp(hit)} {IncidentDrill.LeadTime.Format(hit - (this.IncidentStart ?? TimeSpan.Zero))}" : "not reached while the drill ran")}");
        text.Append(CultureInfo.InvariantCulture, $"\n       {"lead time",-36} {this.LeadTimeText()}");
        if (this.Vmalert is { } vm)
        {
            text.Append(CultureInfo.InvariantCulture, $"\n       under vmalert: {(vm.Agrees ? "the same alerts fired, with the same labels, and no others" : "DISAGREES")}");
            foreach (var line in vm.Lines(this.IncidentStart ?? TimeSpan.Zero))
            {
                text.Append(CultureInfo.InvariantCulture, $"\n         {line}");
            }
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

/// <summary>
/// The same drill judged on vmalert's alerts (the same rule file, over VictoriaMetrics fed with Prometheus's samples):
/// which expected alerts fired and when, which fired unasked or before the incident, where an alert's label sets
/// differ from Prometheus's, and where recorded values differ.
/// </summary>
internal sealed record VmalertVerdict(
    IReadOnlyDictionary<string, TimeSpan> Fired,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> FalseAlarms,
    IReadOnlyList<string> LabelDifferences,
    IReadOnlyList<ValueDifference> Values,
    string? ValuesError)
{
    public bool Agrees => this.Missing.Count == 0 && this.Unexpected.Count == 0 && this.FalseAlarms.Count == 0 && this.LabelDifferences.Count == 0;

    public IEnumerable<string> Lines(TimeSpan incidentStart)
    {
        foreach (var (alert, at) in this.Fired.OrderBy(f => f.Value))
        {
            yield return $"{alert,-34} fired {IncidentDrill.LeadTime.Format(at - incidentStart)}";
        }

        foreach (var problem in this.Missing.Select(a => $"{a} did not fire under vmalert")
            .Concat(this.Unexpected.Select(a => $"{a} fired under vmalert, unrelated to this incident"))
            .Concat(this.FalseAlarms.Select(a => $"{a} fired under vmalert before the incident"))
            .Concat(this.LabelDifferences))
        {
            yield return problem;
        }

        foreach (var value in this.Values)
        {
            yield return "values: " + EvaluatorComparison.Describe(value);
        }

        if (this.ValuesError is not null)
        {
            yield return "values: could not compare them: " + this.ValuesError;
        }
    }
}

/// <summary>Runs one drill in fresh components and judges it.</summary>
internal static class DrillRunner
{
    private static readonly string[] RequiredAnnotations = ["summary", "description", "runbook_url"];

    /// <param name="chartsDirectory">Where to draw the charts of the expected alerts; null for none.</param>
    /// <param name="underVmalert">Evaluate the same rules with vmalert over VictoriaMetrics too, and judge its alerts.</param>
    public static async Task<DrillResult> RunAsync(Drill drill, string? rulesFile, DashboardCoverage dashboards, TextWriter output, CancellationToken token, DrillProgress? progress = null, string? chartsDirectory = null, bool underVmalert = false)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var log = new DrillLog(output);
        output.WriteLine();
        output.WriteLine($"=== {drill.Name}: {drill.Title}");
        output.WriteLine($"    expects {string.Join(", ", drill.ExpectedAlerts)}");
        using var rules = new LocalComponents.TempDirectory("it-drill-rules-");
        var context = new DrillContext(log, rulesFile ?? await DrillRules.RenderAsync(rules.Path, drill.Services, DrillTiming.Scale), token, progress)
        {
            UnderVmalert = underVmalert,
            Impact = drill.Impact,
        };
        IReadOnlyList<string> missing = drill.ExpectedAlerts;
        string? error = null;
        IReadOnlyDictionary<string, TimeSpan> fired = new Dictionary<string, TimeSpan>();
        IReadOnlyList<string> falseAlarms = [];
        IReadOnlyList<PrometheusAlert> firings = [];
        DrillEvidence? evidence = null;
        VmalertVerdict? vmalert = null;
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

            if (context.VmalertAlerts is { } vmAlerts && context.Prometheus is { } prom && context.VictoriaMetrics is { } vm && context.IncidentStart is not null && !token.IsCancellationRequested)
            {
                vmalert = await JudgeVmalertAsync(drill, context, vmAlerts, prom, vm, start, firings, token);
                log.Line($"vmalert: {(vmalert.Agrees ? "the same alerts fired, with the same labels, and no others" : "DISAGREES with Prometheus")}; values compared for {vmalert.Values.Count} series");
            }

            progress?.Phase("stopping", null);
            log.Line("stopping everything the drill started");
            await context.DisposeAsync();
        }

        var unexpected = fired.Keys.Where(a => !drill.ExpectedAlerts.Contains(a) && !drill.ToleratedAlerts.Contains(a)).Order(StringComparer.Ordinal).ToList();
        var labelProblems = drill.ExpectedAlerts.Where(fired.ContainsKey).Select(a => LabelProblem(drill, a, firings)).OfType<string>().ToList();
        var result = new DrillResult(drill, fired, missing, unexpected, falseAlarms, labelProblems, firings, context.IncidentStart, error)
        {
            Evidence = evidence,
            Duration = clock.Elapsed,
            ImpactAt = context.ImpactAt,
            Vmalert = vmalert,
        };
        output.WriteLine(result.Summary());
        return result;
    }

    /// <summary>
    /// vmalert's alerts judged as Prometheus's are, and compared with them: the same expected alerts, each with the same
    /// label sets (vmalert's own <c>alertgroup</c> label aside), nothing else since the incident, nothing before it.
    /// </summary>
    private static async Task<VmalertVerdict> JudgeVmalertAsync(Drill drill, DrillContext context, AlertWatcher vmAlerts, PrometheusServer prometheus, VictoriaMetricsServer vm, TimeSpan start, IReadOnlyList<PrometheusAlert> prometheusFirings, CancellationToken token)
    {
        var fired = vmAlerts.FiredSince(start);
        var firings = vmAlerts.FiringsSince(start);
        var missing = drill.ExpectedAlerts.Where(a => !fired.ContainsKey(a)).ToList();
        var unexpected = fired.Keys.Where(a => !drill.ExpectedAlerts.Contains(a) && !drill.ToleratedAlerts.Contains(a)).Order(StringComparer.Ordinal).ToList();
        var labels = new List<string>();
        foreach (var alert in drill.ExpectedAlerts.Where(fired.ContainsKey))
        {
            var theirs = LabelSets(prometheusFirings, alert);
            var ours = LabelSets(firings, alert);
            if (!theirs.SetEquals(ours))
            {
                labels.Add($"{alert}: Prometheus fired [{string.Join(" | ", theirs.Order(StringComparer.Ordinal))}], vmalert [{string.Join(" | ", ours.Order(StringComparer.Ordinal))}]");
            }
        }

        IReadOnlyList<ValueDifference> values = [];
        string? valuesError = null;
        try
        {
            // From when vmalert had run long enough to fill the longest scaled window it reads (the 2 min baseline
            // fallback is filled in neither at first) to the newest second both have.
            var from = (context.PrometheusStartedAt ?? DrillLog.Now) + TimeSpan.FromSeconds(10);
            await vm.FlushAsync(token);
            values = await EvaluatorComparison.CompareAsync(drill, prometheus.BaseUri, vm.BaseUri, from, DrillLog.Now - TimeSpan.FromSeconds(3), token);
        }
        catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or TaskCanceledException)
        {
            // The alerts' verdict stands; the report says the values are missing.
            valuesError = $"{ex.GetType().Name}: {ex.Message}";
        }

        return new VmalertVerdict(fired, missing, unexpected, vmAlerts.FiredBefore(start), labels, values, valuesError);
    }

    private static HashSet<string> LabelSets(IReadOnlyList<PrometheusAlert> firings, string alert)
        => firings.Where(f => f.Name == alert)
            .Select(f => string.Join(",", f.Labels.Where(l => l.Key is not ("alertgroup" or "alertname")).OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")))
            .ToHashSet(StringComparer.Ordinal);

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
