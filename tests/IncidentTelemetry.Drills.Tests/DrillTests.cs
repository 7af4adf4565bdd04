using System.Text.Json;

namespace IncidentTelemetry.Drills.Tests;

/// <summary>
/// The product's proof: every incident of the reviews, reproduced against real components, fires the
/// alerts the review asked for — with the service, team, severity, priority and runbook the page needs —
/// and nothing fires during the normal traffic before it or unrelated to it.
/// </summary>
[Collection(SharedDrillRun.Name)]
public sealed class DrillTests(DrillRun run)
{
    [Theory]
    [MemberData(nameof(DrillRun.Names), MemberType = typeof(DrillRun))]
    public void Drill_IncidentReproduced_ExpectedAlertsFireWithTheirLabelsAndNoOthers(string name)
    {
        var drill = run.Drill(name);
        var log = run.OutputOf(name);

        Assert.True(drill.GetProperty("error").ValueKind == JsonValueKind.Null, $"{name} failed: {drill.GetProperty("error")}\n{log}");
        Assert.True(drill.GetProperty("missing").GetArrayLength() == 0, $"{name}: did not fire: {drill.GetProperty("missing")}\n{log}");
        Assert.True(drill.GetProperty("falseAlarms").GetArrayLength() == 0, $"{name}: fired during normal traffic: {drill.GetProperty("falseAlarms")}\n{log}");
        Assert.True(drill.GetProperty("unexpected").GetArrayLength() == 0, $"{name}: unrelated alerts fired: {drill.GetProperty("unexpected")}\n{log}");
        Assert.True(drill.GetProperty("labelProblems").GetArrayLength() == 0, $"{name}: {drill.GetProperty("labelProblems")}\n{log}");

        var fired = drill.GetProperty("fired");
        foreach (var alert in drill.GetProperty("expected").EnumerateArray())
        {
            Assert.True(fired.TryGetProperty(alert.GetString()!, out var firing), $"{name}: {alert} is not in the report's fired alerts\n{log}");
            Assert.True(firing.GetProperty("secondsAfterIncident").GetInt32() >= 0, $"{name}: {alert} fired before the incident\n{log}");
        }

        Assert.True(drill.GetProperty("passed").GetBoolean(), log);
    }

    [Fact]
    public void Dashboards_AllDrills_EveryPanelQueryReturnedDataAndNoneFailed()
    {
        Assert.True(run.Report is not null, $"no report (exit code {run.ExitCode}):\n{run.Output}");
        var dashboards = run.Report.RootElement.GetProperty("dashboards");

        Assert.True(dashboards.GetProperty("problems").GetArrayLength() == 0, $"{dashboards.GetProperty("summary")}\n{string.Join("\n", dashboards.GetProperty("problems").EnumerateArray())}");
    }

    [Fact]
    public void Runner_AllDrills_ExitsZeroOnlyWhenEveryDrillPassed()
    {
        var allPassed = run.Report is not null && run.Report.RootElement.GetProperty("drills").EnumerateArray().All(d => d.GetProperty("passed").GetBoolean())
            && run.Report.RootElement.GetProperty("dashboards").GetProperty("problems").GetArrayLength() == 0;

        Assert.Equal(allPassed ? 0 : 1, run.ExitCode);
    }
}
