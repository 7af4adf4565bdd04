using System.Diagnostics;
using System.Globalization;
using System.Text;
using IncidentTelemetry.AlertSimulation;

// dotnet run --project benchmarks/IncidentTelemetry.AlertSimulation -c Release -- fortnight [--out run/sim] [--days 16]
// Renders the rules from the current code (the bundled file and the sample configuration), generates the input (two
// healthy weeks, then the five ramped incidents on days 14 and 15), evaluates it with promtool (both rule files in
// parallel) and prints a Markdown report, also written to <out>/fortnight.md. --days below 16 leaves the incidents out;
// --incident-day 7 --days 9 ramps them in after one healthy week instead (a shorter run: the first week and the incidents).
// --sequential runs one promtool at a time (each holds all its input in memory: several GB for a long run).
if (args.Length == 0 || args[0] != "fortnight")
{
    Console.Error.WriteLine("usage: fortnight [--out DIR] [--days N] [--incident-day 7|14] [--sequential]   (default: two healthy weeks, then the incidents on days 14 and 15)");
    return 2;
}

var command = args[0];
var output = Option("--out") ?? Path.Combine("run", "sim");
var incidentDay = int.Parse(Option("--incident-day") ?? "14", CultureInfo.InvariantCulture);
if (incidentDay % 7 != 0 || incidentDay < 7)
{
    Console.Error.WriteLine("--incident-day must be a Monday with a week of history before it: 7 or 14.");
    return 2;
}

IncidentTelemetry.AlertSimulation.Calendar.IncidentDay = incidentDay;
var days = int.Parse(Option("--days") ?? (incidentDay + 2).ToString(CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
var watch = Stopwatch.StartNew();
var simulation = new Simulation(days, incidents: days >= IncidentTelemetry.AlertSimulation.Calendar.IncidentDay + 2)
{
    Sequential = args.Contains("--sequential"),
};
await simulation.RunAsync(Path.Combine(output, command), [RuleSet.Bundled(), RuleSet.Sample()]);

var report = new StringBuilder();
var timings = string.Join(", ", simulation.Outcomes.Select(o => string.Create(CultureInfo.InvariantCulture, $"{o.Rules.Name} {o.Elapsed.TotalSeconds:0} s")));
report.AppendLine(CultureInfo.InvariantCulture,
    $"Simulation `{command}`, {days} days, {simulation.SeriesCount} series ({simulation.InputBytes / 1_000_000} MB of promtool input), generated in {simulation.Generation.TotalSeconds:0} s; promtool: {timings} ({(simulation.Sequential ? "one after the other" : "in parallel")}); total {watch.Elapsed.TotalSeconds:0} s.");
report.AppendLine();
report.AppendLine("### Firing episodes in the healthy weeks").AppendLine();
report.AppendLine(simulation.FortnightTable());
if (simulation.WithIncidents)
{
    report.AppendLine("### Ramped incidents: lead times").AppendLine();
    report.AppendLine(simulation.LeadTimeTable());
}

report.AppendLine("Generated input:").AppendLine();
foreach (var e in simulation.Events)
{
    report.AppendLine(CultureInfo.InvariantCulture, $"- {e}");
}

Directory.CreateDirectory(output);
var file = Path.Combine(output, command + ".md");
await File.WriteAllTextAsync(file, report.ToString());
Console.WriteLine(report);
Console.WriteLine($"(written to {file})");
return 0;

string? Option(string name)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
