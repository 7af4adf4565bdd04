using System.Globalization;
using System.Text;

namespace IncidentDrill;

/// <summary>The outcome of one drill: when each expected alert fired, which did not, and which fired unasked.</summary>
internal sealed record DrillResult(
    Drill Drill,
    IReadOnlyDictionary<string, TimeSpan> Fired,
    IReadOnlyList<string> Missing,
    IReadOnlyList<string> Unexpected,
    IReadOnlyList<string> FalseAlarms,
    TimeSpan? IncidentStart,
    string? Error)
{
    public bool Passed => this.Error is null && this.Missing.Count == 0 && this.Unexpected.Count == 0 && this.FalseAlarms.Count == 0;

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
    public static async Task<DrillResult> RunAsync(Drill drill, string? rulesFile, DashboardCoverage dashboards, TextWriter output, CancellationToken token)
    {
        var log = new DrillLog(output);
        output.WriteLine();
        output.WriteLine($"=== {drill.Name}: {drill.Title}");
        output.WriteLine($"    expects {string.Join(", ", drill.ExpectedAlerts)}");
        using var rules = new IncidentTelemetry.Testing.TempDirectory("it-drill-rules-");
        var context = new DrillContext(log, rulesFile ?? await DrillRules.RenderAsync(rules.Path, DrillTiming.Scale), token);
        IReadOnlyList<string> missing = drill.ExpectedAlerts;
        string? error = null;
        IReadOnlyDictionary<string, TimeSpan> fired = new Dictionary<string, TimeSpan>();
        IReadOnlyList<string> falseAlarms = [];
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
            if (context.Prometheus is { } prometheus && context.IncidentStart is not null && !token.IsCancellationRequested)
            {
                // While the services still run: what the on-call engineer would see on the dashboards now.
                var withData = await dashboards.CheckAsync(drill.Name, prometheus, token);
                log.Line($"dashboards: {withData} of {dashboards.Count} queries return data now");
            }

            log.Line("stopping everything the drill started");
            await context.DisposeAsync();
        }

        var unexpected = fired.Keys.Where(a => !drill.ExpectedAlerts.Contains(a) && !drill.ToleratedAlerts.Contains(a)).Order(StringComparer.Ordinal).ToList();
        var result = new DrillResult(drill, fired, missing, unexpected, falseAlarms, context.IncidentStart, error);
        output.WriteLine(result.Summary());
        return result;
    }
}
