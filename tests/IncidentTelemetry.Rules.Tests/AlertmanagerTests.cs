using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests;

/// <summary>rules/alertmanager/alertmanager.example.yml: valid for amtool, and every team's alerts reach its receivers.</summary>
public sealed class AlertmanagerTests
{
    private static string ConfigFile => Repository.File("rules", "alertmanager", "alertmanager.example.yml");

    [Fact]
    public async Task AmtoolCheckConfig_Example_Succeeds()
    {
        var (exit, output) = await PrometheusTools.AmtoolAsync("check-config", ConfigFile);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payments", "critical", "payments-pager")]
    [InlineData("payments", "warning", "payments-tickets")]
    [InlineData("orders", "critical", "orders-pager")]
    [InlineData("orders", "warning", "orders-tickets")]
    [InlineData("platform", "critical", "platform-pager")]
    [InlineData("platform", "warning", "platform-tickets")]
    [InlineData("identity", "critical", "identity-pager")]
    [InlineData("identity", "warning", "identity-tickets")]
    [InlineData("unknown-team", "critical", "sre-catch-all")]
    [InlineData("unassigned", "warning", "sre-catch-all")] // the bundled rules' other-services group
    public async Task AmtoolConfigRoutesTest_TeamAndSeverity_ReachTheTeamsReceiver(string team, string severity, string receiver)
    {
        Assert.Equal(receiver, await RouteAsync($"team={team}", $"severity={severity}", "alertname=Example"));
    }

    [Fact]
    public async Task AmtoolConfigRoutesTest_EveryRenderedAlert_ReachesItsOwnTeam()
    {
        var alerts = RuleFiles.Rules(RuleRenderer.Render(SampleShop.Configuration, RuleFormat.Prometheus))
            .Where(r => RuleFiles.Scalar(r.Rule, "alert") is not null)
            .Select(r => (Name: RuleFiles.Scalar(r.Rule, "alert")!, Labels: RuleFiles.Map(r.Rule, "labels")))
            .DistinctBy(a => (a.Labels["team"], a.Labels["severity"]))
            .ToList();

        Assert.Equal(4, alerts.Select(a => a.Labels["team"]).Distinct().Count());
        foreach (var (name, labels) in alerts)
        {
            var expected = $"{labels["team"]}-{(labels["severity"] == "critical" ? "pager" : "tickets")}";
            Assert.Equal(expected, await RouteAsync([$"alertname={name}", .. labels.Select(l => $"{l.Key}={l.Value}")]));
        }
    }

    private static async Task<string> RouteAsync(params string[] labels)
    {
        var (exit, output) = await PrometheusTools.AmtoolAsync(["config", "routes", "test", $"--config.file={ConfigFile}", .. labels]);
        Assert.True(exit == 0, output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single(l => !l.StartsWith("Warning:", StringComparison.Ordinal));
    }
}
