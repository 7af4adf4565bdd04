using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;

namespace IncidentDrill.Report;

/// <summary>
/// The run as a page a person can look at: a summary of every drill, then per drill the incident in one
/// paragraph, the verdict, each expected alert with its labels, times to pending and firing, runbook and
/// dashboards, its chart, and what fired unexpectedly. One HTML file with inline styles, its charts in a
/// folder beside it, opened from the file system (no server, nothing fetched from elsewhere).
/// </summary>
internal static partial class HtmlReport
{
    private const string Style = """
        body { font: 15px/1.45 system-ui, sans-serif; margin: 2em auto; max-width: 960px; color: #1d1d1f; padding: 0 1em; }
        h1 { font-size: 1.6em; margin-bottom: .2em; } h2 { margin-top: 2.2em; border-top: 1px solid #ddd; padding-top: 1em; }
        table { border-collapse: collapse; width: 100%; margin: .8em 0; font-size: .92em; }
        th, td { text-align: left; padding: .35em .5em; border-bottom: 1px solid #e5e5e5; vertical-align: top; }
        th { background: #f5f5f7; }
        .pass { color: #fff; background: #1a7f37; padding: .1em .5em; border-radius: .3em; font-weight: 600; }
        .fail { color: #fff; background: #cf222e; padding: .1em .5em; border-radius: .3em; font-weight: 600; }
        .incident { background: #f6f8fa; border-left: 4px solid #8c959f; padding: .6em 1em; }
        .labels code { display: inline-block; margin: 0 .3em .2em 0; }
        code { background: #f0f0f3; padding: 0 .25em; border-radius: .2em; font-size: .9em; }
        td.labels { max-width: 16em; } td.labels code { word-break: break-all; } td.dashboards { font-size: .9em; min-width: 14em; }
        figure { margin: 1.2em 0; } figure img { max-width: 100%; height: auto; border: 1px solid #e5e5e5; }
        figcaption { font-size: .85em; color: #57606a; }
        .problems li { color: #cf222e; }
        .muted { color: #57606a; }
        """;

    /// <summary>Writes the page; the chart files are already in their folder, named relative to it.</summary>
    public static Task WriteAsync(string path, string chartsFolder, IReadOnlyList<DrillResult> results, DashboardCoverage dashboards, IReadOnlyList<string> dashboardProblems, string incidentsMarkdown)
        => File.WriteAllTextAsync(path, Render(chartsFolder, results, dashboards.Summary(), dashboardProblems, incidentsMarkdown, DateTimeOffset.UtcNow));

    public static string Render(string chartsFolder, IReadOnlyList<DrillResult> results, string dashboardSummary, IReadOnlyList<string> dashboardProblems, string incidentsMarkdown, DateTimeOffset written)
    {
        var html = new StringBuilder();
        var passed = results.Count(r => r.Passed);
        html.Append(CultureInfo.InvariantCulture, $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <title>Incident drills: {passed} of {results.Count} passed</title>
            <style>{Style}</style>
            </head>
            <body>
            <h1>Incident drills</h1>
            <p class="muted">Run of {written:yyyy-MM-dd HH:mm} UTC. Each drill reproduces an incident of the reviews against real PostgreSQL, Redis with Sentinel, redis_exporter and Prometheus evaluating the bundled rules; the charts are drawn from each drill's own Prometheus.</p>
            <table>
            <tr><th>drill</th><th>incident</th><th>result</th><th>expected alerts fired</th><th>fired unexpectedly</th><th>lead time</th><th>took</th></tr>

            """);
        foreach (var r in results)
        {
            var unexpected = r.Unexpected.Concat(r.FalseAlarms).ToList();
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"#{E(r.Drill.Name)}\">{E(r.Drill.Name)}</a></td><td>{E(r.Drill.Title)}</td><td>{Verdict(r.Passed)}</td><td>{r.Drill.ExpectedAlerts.Count(r.Fired.ContainsKey)} of {r.Drill.ExpectedAlerts.Count}</td><td>{(unexpected.Count == 0 ? "none" : E(string.Join(", ", unexpected)))}</td><td>{E(r.LeadTime is { } lead ? LeadTime.Describe(lead) : "—")}</td><td>{DrillLog.Stamp(r.Duration)}</td></tr>\n");
        }

        html.Append("</table>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"muted\">{E(dashboardSummary)}</p>\n");
        Problems(html, dashboardProblems);

        foreach (var r in results)
        {
            Drill(html, chartsFolder, r, IncidentParagraph(incidentsMarkdown, r.Drill.Name));
        }

        // Counts the charts that loaded, so that a browser (or a test driving one) can tell at a glance.
        html.Append("""
            <p id="images" class="muted"></p>
            <script>
            window.addEventListener('load', function () {
              var all = document.images, loaded = 0;
              for (var i = 0; i < all.length; i++) { if (all[i].complete && all[i].naturalWidth > 0) { loaded++; } }
              document.body.setAttribute('data-images', all.length);
              document.body.setAttribute('data-images-loaded', loaded);
              document.getElementById('images').textContent = loaded + ' of ' + all.length + ' charts loaded';
            });
            </script>
            </body>
            </html>

            """);
        return html.ToString();
    }

    /// <summary>The paragraph under <c>## {drill} · …</c> in docs/incidents.md, or null.</summary>
    public static string? IncidentParagraph(string markdown, string drill)
    {
        var lines = markdown.Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        var heading = lines.FindIndex(l => l.StartsWith($"## {drill} ", StringComparison.Ordinal));
        if (heading < 0)
        {
            return null;
        }

        var paragraph = lines.Skip(heading + 1).SkipWhile(string.IsNullOrWhiteSpace).TakeWhile(l => !string.IsNullOrWhiteSpace(l) && !l.StartsWith('#'));
        var text = string.Join(' ', paragraph).Trim();
        return text.Length == 0 ? null : text;
    }

    private static void Drill(StringBuilder html, string chartsFolder, DrillResult r, string? incident)
    {
        html.Append(CultureInfo.InvariantCulture, $"<section id=\"{E(r.Drill.Name)}\">\n<h2>{E(r.Drill.Name)} · {E(r.Drill.Title)} {Verdict(r.Passed)}</h2>\n");
        html.Append(CultureInfo.InvariantCulture, $"<p class=\"incident\">{(incident is null ? "(no paragraph for this drill in docs/incidents.md)" : Inline(incident))}</p>\n");
        var evidence = r.Evidence;
        if (evidence is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>The incident began at {evidence.IncidentAt:HH:mm:ss} UTC, {(int)(evidence.IncidentAt - evidence.From).TotalSeconds} s after Prometheus started; the drill took {DrillLog.Stamp(r.Duration)}, its charts and this evidence {evidence.Took.TotalSeconds:0.0} s.</p>\n");
        }

        Timeline(html, r);
        html.Append("<table>\n<tr><th>expected alert</th><th>labels</th><th>to pending</th><th>to firing</th><th>runbook</th><th>dashboards that show it</th></tr>\n");
        foreach (var alert in r.Drill.ExpectedAlerts)
        {
            var e = evidence?.Alerts.FirstOrDefault(a => a.Alert == alert);
            var labels = e is null ? string.Empty : string.Concat(e.Labels.Where(l => l.Key != "alertname").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"<code>{E(l.Key)}={E(l.Value)}</code>"));
            var runbook = e?.Runbook is { } url ? $"<a href=\"{E(url)}\">{E(RunbookName(url))}</a>" : "—";
            var shown = e is null || e.Dashboards.Count == 0 ? "—" : Dashboards(e.Dashboards);
            var firing = r.Fired.ContainsKey(alert) ? Seconds(e?.ToFiring) : "<span class=\"fail\">did not fire</span>";
            html.Append(CultureInfo.InvariantCulture, $"<tr><td><a href=\"#{E(r.Drill.Name)}-{E(alert)}\">{E(alert)}</a></td><td class=\"labels\">{labels}</td><td>{Seconds(e?.ToPending)}</td><td>{firing}</td><td>{runbook}</td><td class=\"dashboards\">{shown}</td></tr>\n");
        }

        html.Append("</table>\n");
        var problems = r.Unexpected.Select(a => $"{a} fired, but is unrelated to this incident")
            .Concat(r.FalseAlarms.Select(a => $"{a} fired during normal traffic, before the incident"))
            .Concat(r.Missing.Select(a => $"{a} did not fire"))
            .Concat(r.LabelProblems)
            .Concat(r.Error is null ? [] : [$"error: {r.Error}"])
            .Concat(evidence?.Alerts.Where(a => a.Problem is not null).Select(a => $"{a.Alert}: {a.Problem}") ?? [])
            .ToList();
        html.Append(problems.Count == 0 ? "<p>No alert fired unexpectedly.</p>\n" : string.Empty);
        Problems(html, problems);

        foreach (var e in evidence?.Alerts ?? [])
        {
            if (e.Chart is not { } chart)
            {
                continue;
            }

            var threshold = e.Watched?.Operator is { } op ? $"threshold <code>{E(op)} {E(e.Watched.Right ?? string.Empty)}</code>" : "no comparison: the whole expression is drawn";
            html.Append(CultureInfo.InvariantCulture, $"""
                <figure id="{E(r.Drill.Name)}-{E(e.Alert)}">
                <img src="{E(chartsFolder)}/{E(chart.File)}" width="{chart.Width}" height="{chart.Height}" alt="{E(e.Alert)}: the series it watches, its threshold, the incident's start and the pending and firing intervals">
                <figcaption><b>{E(e.Alert)}</b>: <code>{E(chart.Query)}</code>, {threshold}; {chart.Points} points in {chart.Series} series from query_range (<a href="{E(chartsFolder)}/{E(chart.RawFile)}">Prometheus's answer</a>); pending shaded amber, firing red.</figcaption>
                </figure>

                """);
        }

        html.Append("</section>\n");
    }

    /// <summary>
    /// Lead time where a person looks: from the start of the build-up, each expected alert's first firing and customer
    /// impact, in real time and unscaled (the drills run the rules <see cref="DrillTiming.Scale"/> times faster), and
    /// how long before impact the first alert came.
    /// </summary>
    private static void Timeline(StringBuilder html, DrillResult r)
    {
        var start = r.IncidentStart ?? TimeSpan.Zero;
        html.Append(CultureInfo.InvariantCulture, $"""
            <h3>Lead time</h3>
            <p>The drill runs the rules at time scale {DrillTiming.Scale}: one real second stands for {DrillTiming.Scale} seconds of the incident, so the unscaled column is the real one × {DrillTiming.Scale}. Impact is {E(r.Drill.Impact.Description)}, observed {(r.Drill.Impact.Query is { } q ? $"when <code>{E(q)}</code> first returned a sample" : "by the drill itself")}.</p>
            <table class="timeline">
            <tr><th>moment</th><th>after the build-up began (real)</th><th>unscaled</th></tr>
            <tr><td>build-up began</td><td>{(r.IncidentStart is null ? "—" : "+0 s")}</td><td>{(r.IncidentStart is null ? "—" : "0 min")}</td></tr>

            """);
        // In the order they happened, impact among the alerts.
        var impact = r.ImpactAt is { } hit
            ? new[] { (Row: $"<tr class=\"impact\"><td>impact: {E(r.Drill.Impact.Description)}</td>", At: hit) }
            : Array.Empty<(string Row, TimeSpan At)>();
        var moments = r.Drill.ExpectedAlerts.Where(r.Fired.ContainsKey).Select(a => (Row: $"<tr><td>{E(a)} fired</td>", At: r.Fired[a]))
            .Concat(impact)
            .OrderBy(m => m.At);
        foreach (var (row, at) in moments)
        {
            html.Append(CultureInfo.InvariantCulture, $"{row}<td>{RealSeconds(at - start)}</td><td>{E(LeadTime.Minutes(LeadTime.Unscaled(at - start)))}</td></tr>\n");
        }

        if (r.ImpactAt is null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr class=\"impact\"><td>impact: {E(r.Drill.Impact.Description)}</td><td colspan=\"2\">not reached while the drill ran</td></tr>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"</table>\n<p class=\"lead\"><b>Lead time</b> (impact − first alert): {E(r.LeadTimeText())}</p>\n");
        if (r.Vmalert is { } vm)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p>Under vmalert (the same rules over VictoriaMetrics, fed with Prometheus's samples): {(vm.Agrees ? "the same alerts fired, with the same labels, and no others." : "<span class=\"fail\">it disagrees</span>")}</p>\n");
            Problems(html, [.. vm.Lines(start).Where(l => !l.StartsWith("values: ", StringComparison.Ordinal) && !vm.Fired.Keys.Any(a => l.StartsWith(a + " ", StringComparison.Ordinal)))]);
            if (vm.Values.Count > 0)
            {
                html.Append("<table>\n<tr><th>series</th><th>kind</th><th>points</th><th>median relative difference</th><th>max</th></tr>\n");
                foreach (var v in vm.Values)
                {
                    html.Append(CultureInfo.InvariantCulture, $"<tr><td><code>{E(v.Name)}</code></td><td>{E(v.Kind)}</td><td>{v.Points}</td><td>{v.Median * 100:0.0} %</td><td>{v.Max * 100:0.0} %</td></tr>\n");
                }

                html.Append("</table>\n");
            }
        }
    }

    private static string RealSeconds(TimeSpan value) => string.Create(CultureInfo.InvariantCulture, $"{(value < TimeSpan.Zero ? "-" : "+")}{Math.Abs(value.TotalSeconds):0} s");

    /// <summary>"dashboard › panel" entries, one line per dashboard: <b>Database pools</b>: panel, panel.</summary>
    private static string Dashboards(IReadOnlyList<string> panels)
        => string.Join("<br>", panels
            .Select(p => p.Split(" › ", 2))
            .GroupBy(p => p[0], StringComparer.Ordinal)
            .Select(g => $"<b>{E(g.Key)}</b>: {E(string.Join(", ", g.Select(p => p.Length > 1 ? p[1] : string.Empty)))}"));

    private static void Problems(StringBuilder html, IReadOnlyList<string> problems)
    {
        if (problems.Count > 0)
        {
            html.Append("<ul class=\"problems\">\n");
            foreach (var p in problems)
            {
                html.Append(CultureInfo.InvariantCulture, $"<li>{E(p)}</li>\n");
            }

            html.Append("</ul>\n");
        }
    }

    private static string Verdict(bool passed) => passed ? "<span class=\"pass\">PASS</span>" : "<span class=\"fail\">FAIL</span>";

    private static string Seconds(double? seconds) => seconds is { } s ? string.Create(CultureInfo.InvariantCulture, $"+{s:0} s") : "—";

    private static string RunbookName(string url) => Path.GetFileNameWithoutExtension(new Uri(url, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(url).AbsolutePath : url);

    /// <summary>Escaped text with <c>`code`</c> spans, the only markdown the incident paragraphs use.</summary>
    private static string Inline(string markdown) => CodeSpan().Replace(E(markdown), m => $"<code>{m.Groups[1].Value}</code>");

    private static string E(string text) => WebUtility.HtmlEncode(text);

    [GeneratedRegex("`([^`]+)`")]
    private static partial Regex CodeSpan();
}
