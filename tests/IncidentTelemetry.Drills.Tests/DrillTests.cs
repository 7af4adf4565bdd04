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
    public void Drill_UnderVmalert_SameAlertsFireWithTheirLabelsAndNoOthers()
    {
        var drill = run.Drill(DrillRun.UnderVmalert);
        var log = run.OutputOf(DrillRun.UnderVmalert);
        var vmalert = drill.GetProperty("vmalert");

        Assert.True(vmalert.ValueKind == JsonValueKind.Object, $"no vmalert verdict in the report\n{log}");
        Assert.True(vmalert.GetProperty("missing").GetArrayLength() == 0, $"did not fire under vmalert: {vmalert.GetProperty("missing")}\n{log}");
        Assert.True(vmalert.GetProperty("unexpected").GetArrayLength() == 0, $"unrelated alerts fired under vmalert: {vmalert.GetProperty("unexpected")}\n{log}");
        Assert.True(vmalert.GetProperty("falseAlarms").GetArrayLength() == 0, $"fired under vmalert during normal traffic: {vmalert.GetProperty("falseAlarms")}\n{log}");
        Assert.True(vmalert.GetProperty("labelDifferences").GetArrayLength() == 0, $"{vmalert.GetProperty("labelDifferences")}\n{log}");
        foreach (var alert in drill.GetProperty("expected").EnumerateArray())
        {
            Assert.True(vmalert.GetProperty("fired").GetProperty(alert.GetString()!).GetDouble() >= 0, $"{alert} fired under vmalert before the incident\n{log}");
        }

        Assert.True(vmalert.GetProperty("agrees").GetBoolean(), log);
    }

    [Fact]
    public void Drill_UnderVmalert_RecordedSeriesComparedAtTheSameTimestamps()
    {
        var vmalert = run.Drill(DrillRun.UnderVmalert).GetProperty("vmalert");
        var log = run.OutputOf(DrillRun.UnderVmalert);

        // Values are reported, not judged (a loaded machine moves them); that they were measured is checked.
        Assert.True(vmalert.GetProperty("valuesError").ValueKind == JsonValueKind.Null, $"{vmalert.GetProperty("valuesError")}\n{log}");
        var values = vmalert.GetProperty("values").EnumerateArray().ToList();
        Assert.Contains(values, v => v.GetProperty("name").GetString() == "job_instance_pool:db_client_connection_usage:ratio_max1m" && v.GetProperty("points").GetInt32() > 60);
        Assert.Contains(values, v => v.GetProperty("kind").GetString() == "alert" && v.GetProperty("points").GetInt32() > 0);
        Assert.All(values, v => Assert.InRange(v.GetProperty("medianRelativeDifference").GetDouble(), 0, v.GetProperty("maxRelativeDifference").GetDouble()));
    }

    [Theory]
    [MemberData(nameof(DrillRun.Names), MemberType = typeof(DrillRun))]
    public void Timeline_EveryDrill_AlertsAndImpactInRealAndUnscaledTimeWithLeadTime(string name)
    {
        var timeline = run.Drill(name).GetProperty("timeline");
        var log = run.OutputOf(name);

        Assert.Equal(30, timeline.GetProperty("timeScale").GetInt32());
        var moments = timeline.GetProperty("alerts").EnumerateObject().Select(p => p.Value).ToList();
        Assert.True(moments.Count > 0, $"{name}: no alert in the timeline\n{log}");
        var impact = timeline.GetProperty("impact").GetProperty("observed");
        if (impact.ValueKind == JsonValueKind.Object)
        {
            moments.Add(impact);
            var first = moments.SkipLast(1).Min(m => m.GetProperty("secondsAfterBuildUp").GetDouble());
            Near(impact.GetProperty("secondsAfterBuildUp").GetDouble() - first, timeline.GetProperty("leadTimeSeconds").GetDouble(), 0.2);
            Near(timeline.GetProperty("leadTimeSeconds").GetDouble() * 30 / 60, timeline.GetProperty("leadTimeUnscaledMinutes").GetDouble(), 0.1);
        }
        else
        {
            Assert.Equal(JsonValueKind.Null, timeline.GetProperty("leadTimeSeconds").ValueKind);
        }

        Assert.All(moments, m => Near(m.GetProperty("secondsAfterBuildUp").GetDouble() * 30 / 60, m.GetProperty("unscaledMinutes").GetDouble(), 0.1));
        Assert.Contains("lead time", log, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("w49-1")]
    [InlineData("w50-2")]
    public void LeadTime_DrillThatReachesImpact_ImpactObservedAndLeadTimeReported(string name)
    {
        var timeline = run.Drill(name).GetProperty("timeline");
        var log = run.OutputOf(name);

        Assert.True(timeline.GetProperty("impact").GetProperty("observed").ValueKind == JsonValueKind.Object, $"{name}: impact was not observed\n{log}");
        Assert.True(timeline.GetProperty("leadTimeSeconds").ValueKind == JsonValueKind.Number, $"{name}: no lead time\n{log}");
        Assert.Contains("IMPACT: ", log, StringComparison.Ordinal);
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

    /// <summary>Equal within the rounding of the report's figures (seconds to 0.1, minutes to 0.1).</summary>
    private static void Near(double expected, double actual, double tolerance)
        => Assert.True(Math.Abs(expected - actual) <= tolerance, $"expected {expected} ± {tolerance}, the report says {actual}");
}
