using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using IncidentTelemetry.Rules;
using LocalComponents;

namespace IncidentTelemetry.AlertSimulation;

/// <summary>A rule file rendered from the current code, under the name the report gives it.</summary>
internal sealed record RuleSet(string Name, string Yaml)
{
    /// <summary>The bundled file: every job, the reviews' defaults (rules/incident-telemetry.rules.yml).</summary>
    public static RuleSet Bundled() => new("bundled file", RuleRenderer.Render(RulesConfiguration.Default, RuleFormat.Prometheus));

    /// <summary>The sample shop's configuration (samples/SampleShop/incident-telemetry.yaml), time scale 1.</summary>
    public static RuleSet Sample() => new("sample configuration",
        WithinTestEngineLimit(RuleRenderer.Render(RulesConfiguration.Load(Repository.File("samples", "SampleShop", "incident-telemetry.yaml")), RuleFormat.Prometheus)));

    /// <summary>
    /// promtool's test engine refuses a query that holds more than 10,000 samples at once (Prometheus' own default is 50
    /// million): the objective-window averages (<c>avg_over_time(…[4w2d])</c> over a 30 s recorded rate) pass that after
    /// 83 hours of input and fail the whole run. Those series feed only the burn-rate alerts' <c>budget_remaining</c>
    /// annotation and the dashboard, never an alert expression, so the simulation averages them over three days instead;
    /// every expression that decides a firing is evaluated as rendered.
    /// </summary>
    private static string WithinTestEngineLimit(string yaml)
    {
        var limited = yaml.Replace("[4w2d])", "[3d])", StringComparison.Ordinal);
        if (limited.Contains("4w2d", StringComparison.Ordinal))
        {
            throw new InvalidOperationException("a rule still reads a 30-day window in another form: the test engine cannot hold it");
        }

        return limited;
    }
}

/// <summary>One PromQL question asked at the end of the run, answered per (alertname, service, severity).</summary>
internal sealed record Question(string Id, string Expression, int EvalStep);

/// <summary>An answer: the alert group (as the example Alertmanager groups: alertname, service) and a value.</summary>
internal sealed record Answer(string Question, string Alert, string Service, string Severity, double Value);

/// <summary>
/// Evaluates a rule file over the generated series with the real rule evaluator: one <c>promtool test rules</c>
/// run (Prometheus' own rule manager, with its <c>for</c> and staleness semantics, evaluating every 30 s). Rule
/// evaluation writes <c>ALERTS</c> into the test's storage; the questions (PromQL subqueries over
/// <c>ALERTS{alertstate="firing"}</c>) are <c>promql_expr_test</c>s that expect nothing, so promtool prints what they
/// returned, which is parsed here.
/// </summary>
internal static partial class RuleEvaluation
{
    /// <summary>A firing alert group: one series per (alertname, service, severity) while any of its alerts fires.</summary>
    public const string Firing = "simulation:alert_group:firing";

    /// <summary>1 at the evaluation where a group starts firing (an episode, one notification).</summary>
    public const string EpisodeStart = "simulation:alert_group:start";

    /// <summary>Episodes so far, per group.</summary>
    public const string Episodes = "simulation:alert_group:starts_total";

    /// <summary>Evaluations (30 s each) at which the group was firing so far.</summary>
    public const string FiringSteps = "simulation:alert_group:firing_steps_total";

    /// <summary>A group with at least one firing alert that the example Alertmanager does not mute at that moment.</summary>
    public const string Notifying = "simulation:alert_group:notifying";

    /// <summary>1 at the evaluation where a group starts notifying (a notification a team receives).</summary>
    public const string NotificationStart = "simulation:alert_group:notification_start";

    /// <summary>Notifications so far, per group.</summary>
    public const string NotificationTotals = "simulation:alert_group:notifications_total";

    /// <summary>Evaluations (30 s each) at which the group was notifying so far.</summary>
    public const string NotifyingSteps = "simulation:alert_group:notifying_steps_total";

    /// <summary>
    /// Recording rules appended after the rules under test, evaluated after them at every step: they keep running
    /// totals of episodes and firing time per alert group, for raw firings and for notifications (firings the example
    /// Alertmanager does not mute, <paramref name="muted"/>), so that the questions at the end are instant queries
    /// (promtool's test engine refuses queries that load more than 10,000 samples, such as a week-long subquery).
    /// </summary>
    public static string AccountingGroup(string muted)
    {
        var text = new StringBuilder("  - name: simulation.accounting\n    rules:\n");
        void Totals(string current, string start, string starts, string steps)
        {
            text.Append(CultureInfo.InvariantCulture, $"      - record: {start}\n        expr: {current} unless {current} offset 30s\n");
            foreach (var (total, of) in new[] { (starts, start), (steps, current) })
            {
                text.Append(CultureInfo.InvariantCulture, $"      - record: {total}\n        expr: |-\n          ({total} offset 30s + on (alertname, service, severity) {of})\n          or {of}\n          or {total} offset 30s\n");
            }
        }

        text.Append(CultureInfo.InvariantCulture, $"      - record: {Firing}\n        expr: count by (alertname, service, severity) (ALERTS{{alertstate=\"firing\"}})\n");
        Totals(Firing, EpisodeStart, Episodes, FiringSteps);
        text.Append(CultureInfo.InvariantCulture, $"      - record: {Notifying}\n        expr: |-\n          count by (alertname, service, severity) (\n            ALERTS{{alertstate=\"firing\"}}\n            unless\n            (\n{Indent(muted, 14)}\n            )\n          )\n");
        Totals(Notifying, NotificationStart, NotificationTotals, NotifyingSteps);
        return text.ToString();
    }

    private static string Indent(string text, int spaces) => string.Join("\n", text.Split('\n').Select(l => new string(' ', spaces) + l));

    public static string InputSeries(SeriesSet series)
    {
        var output = new StringBuilder(64 * 1024 * 1024);
        foreach (var s in series.All.OrderBy(s => s.Selector, StringComparer.Ordinal))
        {
            output.Append("      - series: '").Append(s.Selector.Replace("'", "''", StringComparison.Ordinal)).Append("'\n        values: '");
            s.WriteValues(output);
            output.Append("'\n");
        }

        return output.ToString();
    }

    public static async Task<List<Answer>> RunAsync(RuleSet rules, string inputSeries, IReadOnlyList<Question> questions, string directory)
    {
        Directory.CreateDirectory(directory);
        var ruleFile = Path.Combine(directory, "rules.yml");
        var muted = Notifications.MutedAlerts(rules.Yaml, [.. Shop.Services.Select(s => s.Job)], await File.ReadAllTextAsync(Notifications.ExampleConfiguration));
        await File.WriteAllTextAsync(ruleFile, rules.Yaml.TrimEnd() + "\n" + AccountingGroup(muted));
        var testFile = Path.Combine(directory, "simulation.test.yml");
        await using (var writer = new StreamWriter(testFile))
        {
            await writer.WriteAsync("rule_files: [rules.yml]\nevaluation_interval: 30s\ntests:\n  - interval: 30s\n    input_series:\n");
            await writer.WriteAsync(inputSeries);
            await writer.WriteAsync("    promql_expr_test:\n");
            foreach (var q in questions)
            {
                var expr = $"label_replace({q.Expression}, \"q\", \"{q.Id}\", \"\", \"\")";
                await writer.WriteAsync(string.Create(CultureInfo.InvariantCulture,
                    $"      - expr: '{expr.Replace("'", "''", StringComparison.Ordinal)}'\n        eval_time: {q.EvalStep * Calendar.StepSeconds}s\n        exp_samples: []\n"));
            }
        }

        // promtool keeps every input point in memory and its heap grew to about 8 GB over 9 simulated days with Go's
        // default collector pacing; a soft memory limit makes the collector work harder instead (GOMEMLIMIT, Go 1.19+).
        var environment = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["GOMEMLIMIT"] = Environment.GetEnvironmentVariable("SIMULATION_PROMTOOL_MEMORY") ?? "6GiB",
        };
        var (exitCode, output) = await ExternalProcess.RunAsync("promtool", ["test", "rules", "simulation.test.yml"], TimeSpan.FromMinutes(120), directory, environment);
        await File.WriteAllTextAsync(Path.Combine(directory, "promtool.out"), output);
        var answers = new List<Answer>();
        foreach (var line in output.Split('\n'))
        {
            var trimmed = line.Trim();
            if (!trimmed.StartsWith("got:", StringComparison.Ordinal))
            {
                continue;
            }

            foreach (Match sample in SamplePattern().Matches(trimmed))
            {
                var labels = LabelPattern().Matches(sample.Groups[1].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value, StringComparer.Ordinal);
                answers.Add(new Answer(labels.GetValueOrDefault("q", ""), labels.GetValueOrDefault("alertname", ""), labels.GetValueOrDefault("service", ""),
                    labels.GetValueOrDefault("severity", ""), double.Parse(sample.Groups[2].Value, CultureInfo.InvariantCulture)));
            }
        }

        var success = output.Contains("SUCCESS", StringComparison.Ordinal);
        if (answers.Count == 0 && !success)
        {
            throw new InvalidOperationException($"promtool test rules failed (exit code {exitCode}) in {directory}:\n{Tail(output)}");
        }

        return answers;
    }

    private static string Tail(string output) => output.Length > 4000 ? output[^4000..] : output;

    [GeneratedRegex("\\{([^}]*)\\} ([-+0-9.eE]+|NaN)")]
    private static partial Regex SamplePattern();

    [GeneratedRegex("(\\w+)=\"([^\"]*)\"")]
    private static partial Regex LabelPattern();
}

/// <summary>Times what it measures, for the report.</summary>
internal static class Clock
{
    public static async Task<(T Result, TimeSpan Elapsed)> TimeAsync<T>(Func<Task<T>> action)
    {
        var watch = Stopwatch.StartNew();
        var result = await action();
        return (result, watch.Elapsed);
    }
}
