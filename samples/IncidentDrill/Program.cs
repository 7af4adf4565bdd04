using IncidentDrill;
using IncidentDrill.Drills;
using IncidentDrill.Report;

// Incident drills: each reproduces one incident of the weekly reviews against real components and checks
// that Prometheus, evaluating the bundled rules, fires the alerts the review asked for and no others.
//   dotnet run --project samples/IncidentDrill -- all|list|<drill>... [--rules FILE] [--report FILE] [--vmalert DRILL,...]
// --vmalert w50-1 also evaluates the rules of the named drills with vmalert over VictoriaMetrics and judges its alerts.
// --report run/report.json also writes run/report.html, a page with every drill's charts (in run/report-charts/).
Drill[] drills = [new PaymentPoolExhaustion(), new OrderMemoryLeak(), new CatalogCampaign(), new SessionStoreFailover(), new MissingIndex()];

var names = args.TakeWhile(a => !a.StartsWith("--", StringComparison.Ordinal)).ToList();
var rulesFile = Option(args, "--rules");
if (names.Count == 0 || names.Contains("list"))
{
    Console.WriteLine("drills:");
    foreach (var d in drills)
    {
        Console.WriteLine($"  {d.Name,-6} {d.Title}: expects {string.Join(", ", d.ExpectedAlerts)}");
    }

    Console.WriteLine("usage: IncidentDrill all|<drill>... [--rules FILE] [--report FILE] [--vmalert DRILL,...]");
    return names.Count == 0 ? 2 : 0;
}

var selected = names.Contains("all") ? drills : drills.Where(d => names.Contains(d.Name)).ToArray();
var underVmalert = (Option(args, "--vmalert") ?? string.Empty).Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var unknown = names.Where(n => n != "all").Concat(underVmalert).Where(n => drills.All(d => d.Name != n)).ToList();
if (unknown.Count > 0)
{
    Console.Error.WriteLine($"unknown drill(s): {string.Join(", ", unknown)}; run with 'list'");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var results = new List<DrillResult>();
var dashboards = new DashboardCoverage();
var reportFile = Option(args, "--report");
var charts = reportFile is null ? null : ReportPaths.ChartsDirectory(reportFile);
var progress = DrillProgress.ForConsole();
await progress.RunAsync(async () =>
{
    foreach (var (drill, i) in selected.Select((d, i) => (d, i + 1)))
    {
        progress.StartDrill(i, selected.Length, drill, drill.ExpectedDuration);
        results.Add(await DrillRunner.RunAsync(drill, rulesFile, dashboards, progress.Log, cancel.Token, progress, charts, underVmalert.Contains(drill.Name)));
    }
});

Console.WriteLine();
Console.WriteLine("summary:");
foreach (var result in results)
{
    Console.WriteLine(result.Summary());
}


// Every panel must have shown data in some drill (judged only when all of them ran), and none may fail.
var problems = dashboards.Problems(everyDrillRan: selected.Length == drills.Length);
Console.WriteLine(dashboards.Summary());
foreach (var problem in problems)
{
    Console.WriteLine($"  FAIL {problem}");
}

if (reportFile is not null)
{
    await DrillReport.WriteAsync(reportFile, results, dashboards, problems);
    var page = ReportPaths.Page(reportFile);
    var incidents = LocalComponents.Repository.File("docs", "incidents.md");
    await IncidentDrill.Report.HtmlReport.WriteAsync(page, Path.GetFileName(charts!), results, dashboards, problems, File.Exists(incidents) ? await File.ReadAllTextAsync(incidents) : string.Empty);
    Console.WriteLine($"report: {Path.GetFullPath(reportFile)} and {Path.GetFullPath(page)}");
}

return results.All(r => r.Passed) && problems.Count == 0 ? 0 : 1;

static string? Option(string[] args, string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
