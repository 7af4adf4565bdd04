using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace IncidentTelemetry.AlertSimulation;

/// <summary>What one rule set did over the generated input.</summary>
internal sealed record Outcome(RuleSet Rules, List<Answer> Answers, TimeSpan Elapsed);

/// <summary>Generates the input once and evaluates both rule sets over it, in parallel (one promtool each).</summary>
internal sealed class Simulation
{
    public Simulation(int days, bool incidents)
    {
        this.Days = days;
        this.WithIncidents = incidents;
    }

    public int Days { get; }

    public bool WithIncidents { get; }

    public List<IncidentTruth> Incidents { get; private set; } = [];

    public List<string> Events { get; private set; } = [];

    public List<Outcome> Outcomes { get; } = [];

    public TimeSpan Generation { get; private set; }

    public int SeriesCount { get; private set; }

    public long InputBytes { get; private set; }

    public static string Week(int week) => $"w{week + 1}";

    /// <summary>One promtool at a time instead of one per rule file at once (half the memory, twice the time).</summary>
    public bool Sequential { get; init; }

    public async Task RunAsync(string directory, IReadOnlyList<RuleSet> ruleSets)
    {
        var watch = Stopwatch.StartNew();
        var shop = new Shop(this.Days, this.WithIncidents);
        this.Incidents = shop.Run();
        this.Events = shop.Events;
        var input = RuleEvaluation.InputSeries(shop.Series);
        this.SeriesCount = shop.Series.All.Count();
        this.InputBytes = input.Length;
        this.Generation = watch.Elapsed;

        var questions = this.Questions(shop.Steps);
        Task<(List<Answer> Result, TimeSpan Elapsed)> Run(int i) => Clock.TimeAsync(() => RuleEvaluation.RunAsync(ruleSets[i], input, questions,
            Path.Combine(directory, i == 0 ? "bundled" : "sample")));
        var results = new List<(List<Answer> Result, TimeSpan Elapsed)>();
        if (this.Sequential)
        {
            for (var i = 0; i < ruleSets.Count; i++)
            {
                results.Add(await Run(i));
            }
        }
        else
        {
            results.AddRange(await Task.WhenAll(Enumerable.Range(0, ruleSets.Count).Select(Run)));
        }

        for (var i = 0; i < ruleSets.Count; i++)
        {
            this.Outcomes.Add(new Outcome(ruleSets[i], results[i].Result, results[i].Elapsed));
        }
    }

    private List<Question> Questions(int steps)
    {
        // That the rules saw the input at all: the services with a request rate at the end (5).
        var questions = new List<Question> { new("services", "count(job:http_server_requests:rate5m)", steps - 1) };
        for (var week = 0; week < this.Weeks; week++)
        {
            var end = Math.Min(steps, (week + 1) * 7 * Calendar.StepsPerDay) - 1;
            questions.Add(new($"episodes-{Week(week)}", RuleEvaluation.Episodes, end));
            questions.Add(new($"steps-{Week(week)}", RuleEvaluation.FiringSteps, end));
            questions.Add(new($"notifications-{Week(week)}", RuleEvaluation.NotificationTotals, end));
            questions.Add(new($"notifying-{Week(week)}", RuleEvaluation.NotifyingSteps, end));
        }

        if (this.WithIncidents)
        {
            // Known before the run: the windows only (the impact comes from the generated traffic, afterwards).
            foreach (var (id, start, end) in IncidentWindows())
            {
                var length = (end - start) * Calendar.StepSeconds;
                questions.Add(new($"first-{id}", string.Create(CultureInfo.InvariantCulture,
                    $"min_over_time(timestamp({RuleEvaluation.EpisodeStart})[{length}s:30s])"), end));
                questions.Add(new($"atstart-{id}", RuleEvaluation.Firing, start));
            }
        }

        return questions;
    }

    /// <summary>The healthy weeks (a short run counts as one).</summary>
    public int Weeks => Math.Clamp(this.Days / 7, 1, 2);

    /// <summary>Where to look for each incident's alerts: from its first change until well after the impact.</summary>
    public static IEnumerable<(string Id, int Start, int End)> IncidentWindows()
    {
        yield return ("w49-1", Calendar.Step(Calendar.IncidentDay, 8), Calendar.Step(Calendar.IncidentDay, 10));
        yield return ("w49-2", Calendar.Step(Calendar.IncidentDay, 14), Calendar.Step(Calendar.IncidentDay, 15.5));
        yield return ("w50-1", Calendar.Step(Calendar.IncidentDay + 1, 11), Calendar.Step(Calendar.IncidentDay + 1, 12.5));
        yield return ("w50-2", Calendar.Step(Calendar.IncidentDay, 16), Calendar.Step(Calendar.IncidentDay + 1, 10));
        yield return ("w50-3", Calendar.Step(Calendar.IncidentDay + 1, 15), Calendar.Step(Calendar.IncidentDay + 1, 16.5));
    }

    /// <summary>How many services had a recorded request rate at the end of the run (5 when the rules saw the input).</summary>
    public static double ServicesSeen(Outcome outcome) => outcome.Answers.Where(a => a.Question == "services").Sum(a => a.Value);

    /// <summary>The alert groups that fired (any week), as "alert (service)" — for the short test's message.</summary>
    public static IEnumerable<string> Fired(Outcome outcome)
        => outcome.Answers.Where(a => a.Question == "steps-w1" && a.Value > 0)
            .Select(a => $"{a.Alert} ({a.Service}, {a.Severity}): {Hours(a.Value)} h firing");

    /// <summary>The alert groups that sent a notification in the first week (firings the example Alertmanager did not mute).</summary>
    public static IEnumerable<string> Notified(Outcome outcome)
        => outcome.Answers.Where(a => a.Question == "notifying-w1" && a.Value > 0)
            .Select(a => $"{a.Alert} ({a.Service}, {a.Severity}): {Hours(a.Value)} h notifying, {Total(outcome, "notifications-w1", (a.Alert, a.Service, a.Severity)):0} notification(s)");

    /// <summary>The alert groups that fired in the first week but whose every firing moment the example Alertmanager muted.</summary>
    public static IEnumerable<string> Muted(Outcome outcome)
        => outcome.Answers.Where(a => a.Question == "steps-w1" && a.Value > 0)
            .Where(a => Total(outcome, "notifying-w1", (a.Alert, a.Service, a.Severity)) == 0)
            .Select(a => $"{a.Alert} ({a.Service}, {a.Severity}): {Hours(a.Value)} h firing, all of it muted");

    public static string Hours(double steps) => (steps * Calendar.StepSeconds / 3600).ToString("0.0", CultureInfo.InvariantCulture);

    public string FortnightTable()
    {
        var text = new StringBuilder();
        var weeks = this.Weeks;
        foreach (var outcome in this.Outcomes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"#### {outcome.Rules.Name}").AppendLine();
            var header = "| alert | service | severity |";
            var line = "|---|---|---|";
            for (var w = 0; w < weeks; w++)
            {
                header += $" {(w == 0 ? "first week" : "established week")}: episodes (hours firing) | notifications (hours) |";
                line += "---:|---:|";
            }

            text.AppendLine(header).AppendLine(line);
            var groups = outcome.Answers.Where(a => a.Question.StartsWith("steps-", StringComparison.Ordinal))
                .Select(a => (a.Alert, a.Service, a.Severity)).Distinct().OrderBy(g => g.Alert, StringComparer.Ordinal).ThenBy(g => g.Service, StringComparer.Ordinal);
            var totals = new double[weeks];
            var notified = new double[weeks];
            foreach (var g in groups)
            {
                var row = $"| {g.Alert} | {g.Service} | {g.Severity} |";
                for (var w = 0; w < weeks; w++)
                {
                    var episodes = Value(outcome, $"episodes-{Week(w)}", g);
                    var steps = Value(outcome, $"steps-{Week(w)}", g);
                    totals[w] += episodes;
                    var notifications = Value(outcome, $"notifications-{Week(w)}", g);
                    var notifying = Value(outcome, $"notifying-{Week(w)}", g);
                    notified[w] += notifications;
                    row += steps == 0 ? " 0 |" : $" {episodes:0} ({Hours(steps)}) |";
                    row += notifying == 0 ? " 0 |" : $" {notifications:0} ({Hours(notifying)}) |";
                }

                text.AppendLine(row);
            }

            text.Append("| **all** | | |");
            for (var w = 0; w < weeks; w++)
            {
                text.Append(CultureInfo.InvariantCulture, $" **{totals[w]:0}** | **{notified[w]:0}** |");
            }

            text.AppendLine().AppendLine();
            var perService = outcome.Answers.Where(a => a.Question == $"episodes-{Week(weeks - 1)}").Select(a => (a.Alert, a.Service, a.Severity)).Distinct()
                .GroupBy(g => g.Service).OrderBy(g => g.Key, StringComparer.Ordinal)
                .Select(g => string.Create(CultureInfo.InvariantCulture, $"{g.Key} {g.Sum(x => Value(outcome, $"episodes-{Week(weeks - 1)}", x)):0}"));
            text.AppendLine(CultureInfo.InvariantCulture, $"Episodes per service in the last week: {string.Join(", ", perService)}.").AppendLine();
        }

        return text.ToString();
    }

    /// <summary>A week's count: the running total at its end minus the one at the previous week's end.</summary>
    private static double Value(Outcome outcome, string question, (string Alert, string Service, string Severity) g)
    {
        var week = int.Parse(question[^1..], CultureInfo.InvariantCulture) - 1;
        var total = Total(outcome, question, g);
        return week == 0 ? total : total - Total(outcome, question[..^1] + week.ToString(CultureInfo.InvariantCulture), g);
    }

    private static double Total(Outcome outcome, string question, (string Alert, string Service, string Severity) g)
        => outcome.Answers.Where(a => a.Question == question && a.Alert == g.Alert && a.Service == g.Service && a.Severity == g.Severity).Sum(a => a.Value);

    public string LeadTimeTable()
    {
        var text = new StringBuilder();
        text.AppendLine("| incident | customer impact | " + string.Join(" | ", this.Outcomes.Select(o => $"{o.Rules.Name}: first alert, lead time")) + " |");
        text.AppendLine("|---|---|" + string.Concat(this.Outcomes.Select(_ => "---|")));
        foreach (var incident in this.Incidents)
        {
            var row = $"| {incident.Id} {incident.Title} | {incident.Impact}: {(incident.ImpactStep < 0 ? "never" : Calendar.Describe(incident.ImpactStep))} |";
            foreach (var outcome in this.Outcomes)
            {
                var first = Firsts(outcome, incident).FirstOrDefault();
                row += first.Alert is null ? " none |" : $" {first.Alert} ({first.Severity}), {Lead(first.Step, incident)} |";
            }

            text.AppendLine(row);
        }

        text.AppendLine();
        foreach (var outcome in this.Outcomes)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"Every alert in each incident's window, {outcome.Rules.Name} (lead time = customer impact minus first firing; negative = after the impact):").AppendLine();
            foreach (var incident in this.Incidents)
            {
                var all = Firsts(outcome, incident).Select(f => $"{f.Alert} ({f.Service}, {f.Severity}) {Lead(f.Step, incident)}");
                var already = outcome.Answers.Where(a => a.Question == $"atstart-{incident.Id}" && incident.Services.Contains(a.Service)).Select(a => a.Alert).ToList();
                var suffix = already.Count > 0 ? $" (already firing when it began: {string.Join(", ", already)})" : "";
                text.AppendLine(CultureInfo.InvariantCulture, $"- {incident.Id}: {(all.Any() ? string.Join("; ", all) : "no alert")}{suffix}");
            }

            text.AppendLine();
        }

        return text.ToString();
    }

    private static IEnumerable<(string Alert, string Service, string Severity, int Step)> Firsts(Outcome outcome, IncidentTruth incident)
        => outcome.Answers.Where(a => a.Question == $"first-{incident.Id}" && incident.Services.Contains(a.Service))
            .Select(a => (a.Alert, a.Service, a.Severity, Step: (int)Math.Round(a.Value / Calendar.StepSeconds)))
            .OrderBy(f => f.Step).ThenBy(f => f.Alert, StringComparer.Ordinal);

    private static string Lead(int step, IncidentTruth incident)
    {
        if (incident.ImpactStep < 0)
        {
            return $"at {Calendar.Describe(step)} (no impact)";
        }

        var minutes = (incident.ImpactStep - step) * Calendar.StepSeconds / 60.0;
        return minutes.ToString("+0.0;-0.0;0", CultureInfo.InvariantCulture) + " min";
    }
}
