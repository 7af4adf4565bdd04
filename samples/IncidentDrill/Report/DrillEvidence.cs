using LocalComponents;

namespace IncidentDrill.Report;

/// <summary>What the report shows of one expected alert.</summary>
/// <param name="Rule">The alert's expression as loaded in the drill's Prometheus; null when it was not loaded.</param>
/// <param name="ToPending">Seconds from the incident's start until the alert became active (pending, or firing when it has no <c>for</c>).</param>
/// <param name="ToFiring">Seconds from the incident's start until it fired.</param>
/// <param name="Dashboards">Dashboard panels that read the alert's series and showed data in this drill.</param>
internal sealed record AlertEvidence(
    string Alert,
    string Service,
    string? Rule,
    WatchedSeries? Watched,
    double? ToPending,
    double? ToFiring,
    IReadOnlyList<AlertInterval> Intervals,
    IReadOnlyDictionary<string, string> Labels,
    string? Runbook,
    IReadOnlyList<string> Dashboards,
    ChartRecord? Chart,
    string? Problem);

/// <summary>The charts and timings of one drill, gathered from its Prometheus before it stops.</summary>
internal sealed record DrillEvidence(DateTimeOffset From, DateTimeOffset IncidentAt, DateTimeOffset To, string RulesFile, IReadOnlyList<AlertEvidence> Alerts, TimeSpan Took)
{
    /// <summary>
    /// Reads the loaded rules, draws one chart per expected alert and works out its pending and firing
    /// times, writing the PNGs and Prometheus's raw answers into <paramref name="directory"/>.
    /// </summary>
    public static async Task<DrillEvidence> GatherAsync(
        Drill drill,
        DrillContext context,
        PrometheusServer server,
        IReadOnlyList<PrometheusAlert> firings,
        DashboardCoverage dashboards,
        string directory,
        CancellationToken token)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Directory.CreateDirectory(directory);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(20) };
        var api = new PrometheusApi(server.BaseUri, http);
        await UntilAlertsRecordedAsync(server, [.. drill.ExpectedAlerts.Where(a => firings.Any(f => f.Name == a))], DrillLog.Now - (context.PrometheusStartedAt ?? DrillLog.Now), token);
        // The range ends now, on a 1 s grid counted back from now, so that its last point is after every
        // sample written so far (an alert that fired in the last second is on the chart).
        var to = DrillLog.Now;
        var from = to - TimeSpan.FromSeconds(Math.Ceiling((to - (context.PrometheusStartedAt ?? to)).TotalSeconds));
        var incidentAt = context.IncidentStartedAt ?? to;
        var (rules, rawRules) = await api.RulesAsync(token);
        var rulesFile = $"{drill.Name}-rules.json";
        await File.WriteAllTextAsync(Path.Combine(directory, rulesFile), rawRules, token);

        var alerts = new List<AlertEvidence>();
        foreach (var alert in drill.ExpectedAlerts)
        {
            var service = drill.ServiceOf(alert);
            var rule = rules.FirstOrDefault(r => r.Kind == "alerting" && r.Name == alert && r.Labels.GetValueOrDefault("service") == service)
                ?? rules.FirstOrDefault(r => r.Kind == "alerting" && r.Name == alert);
            var firing = firings.FirstOrDefault(f => f.Name == alert && f.Labels.GetValueOrDefault("service") == service) ?? firings.FirstOrDefault(f => f.Name == alert);
            var labels = firing?.Labels ?? rule?.Labels ?? new Dictionary<string, string>();
            var runbook = firing?.Annotations.GetValueOrDefault("runbook_url") ?? rule?.Annotations.GetValueOrDefault("runbook_url");
            if (rule is null)
            {
                alerts.Add(new AlertEvidence(alert, service, null, null, null, null, [], labels, runbook, [], null, "the rule was not loaded in the drill's Prometheus"));
                continue;
            }

            var watched = WatchedSeries.Of(rule.Query);
            try
            {
                var intervals = await AlertChart.IntervalsAsync(api, alert, service, from, incidentAt, to, token);
                var active = intervals.FirstOrDefault(i => i.To >= 0);
                var fired = intervals.FirstOrDefault(i => i.State == "firing" && i.To >= 0);
                var chart = await AlertChart.DrawAsync(api, alert, watched, intervals, from, incidentAt, to, directory, $"{drill.Name}-{alert}", token);
                var shownIn = dashboards.Showing(drill.Name, Metrics(watched.Left, rules));
                alerts.Add(new AlertEvidence(alert, service, rule.Query, watched, active is null ? null : Math.Max(0, active.From), fired is null ? null : Math.Max(0, fired.From), intervals, labels, runbook, shownIn, chart, null));
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException or System.Text.Json.JsonException or IOException or TaskCanceledException)
            {
                alerts.Add(new AlertEvidence(alert, service, rule.Query, watched, null, null, [], labels, runbook, [], null, $"chart: {ex.GetType().Name}: {ex.Message}"));
            }
        }

        return new DrillEvidence(from, incidentAt, to, rulesFile, alerts, clock.Elapsed);
    }

    /// <summary>
    /// Waits (at most 5 s) until Prometheus's <c>ALERTS</c> series holds a firing sample, over the drill, of
    /// every alert the watcher saw fire: the alerts API shows a rule's new state while its evaluation is still writing it.
    /// </summary>
    private static async Task UntilAlertsRecordedAsync(PrometheusServer server, IReadOnlyList<string> fired, TimeSpan window, CancellationToken token)
    {
        if (fired.Count == 0)
        {
            return;
        }

        var query = $"count by (alertname) (last_over_time(ALERTS{{alertstate=\"firing\", alertname=~\"{string.Join('|', fired)}\"}}[{Math.Ceiling(window.TotalSeconds) + 1}s]))";
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
        while ((await server.QueryAsync(query, token)).Count < fired.Count && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250, token);
        }
    }

    /// <summary>The metrics an expression reads, and, through the recording rules it uses, the metrics those read.</summary>
    private static HashSet<string> Metrics(string expression, IReadOnlyList<LoadedRule> rules)
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(PromqlScanner.MetricNames(expression));
        while (queue.TryDequeue(out var name))
        {
            if (names.Add(name))
            {
                foreach (var recording in rules.Where(r => r.Kind == "recording" && r.Name == name))
                {
                    foreach (var inner in PromqlScanner.MetricNames(recording.Query))
                    {
                        queue.Enqueue(inner);
                    }
                }
            }
        }

        return names;
    }
}
