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

    [Theory]
    [InlineData("ConnectionPoolUtilisationHigh", "warning", "orders-tickets")]
    [InlineData("DatabaseQueryLatencyP95High", "warning", "orders-tickets")]
    [InlineData("ConnectionPoolUtilisationCritical", "critical", "orders-pager")]
    [InlineData("ConnectionPoolTimeouts", "critical", "orders-pager")]
    [InlineData("ConnectionPoolUtilisationHigh", "warning", "sre-catch-all", "unassigned")]
    [InlineData("ConnectionPoolTimeouts", "critical", "sre-catch-all", "unassigned")]
    public async Task AmtoolConfigRoutesTest_NightlyBatchAlerts_WarningsToTicketsCriticalsStillPage(string alert, string severity, string receiver, string team = "orders")
    {
        Assert.Equal(receiver, await RouteAsync($"alertname={alert}", $"severity={severity}", $"team={team}", "service=inventory-service"));
    }

    [Fact]
    public void Example_NightlyBatchRoute_MutesOnlyItsWarningsInItsWindow()
    {
        // amtool validates time_intervals (check-config) and routing (routes test) but does not evaluate mutes:
        // read which route carries the mute, and the window it names.
        var root = RuleFiles.Load(File.ReadAllText(ConfigFile));
        var muted = Routes((YamlDotNet.RepresentationModel.YamlMappingNode)root["route"])
            .Where(r => r.Children.ContainsKey(new YamlDotNet.RepresentationModel.YamlScalarNode("mute_time_intervals")))
            .ToList();
        Assert.Equal(2, muted.Count); // the sample configuration's orders team, and the bundled file's catch-all
        var interval = ((YamlDotNet.RepresentationModel.YamlSequenceNode)root["time_intervals"]).Cast<YamlDotNet.RepresentationModel.YamlMappingNode>().Single();
        var times = ((YamlDotNet.RepresentationModel.YamlMappingNode)((YamlDotNet.RepresentationModel.YamlSequenceNode)((YamlDotNet.RepresentationModel.YamlSequenceNode)interval["time_intervals"])
            .Cast<YamlDotNet.RepresentationModel.YamlMappingNode>().Single()["times"]).Single());

        Assert.Equal("nightly-batch", RuleFiles.Scalar(interval, "name"));
        foreach (var route in muted)
        {
            var matchers = ((YamlDotNet.RepresentationModel.YamlSequenceNode)route["matchers"]).Select(m => ((YamlDotNet.RepresentationModel.YamlScalarNode)m).Value).ToList();
            Assert.Equal(["nightly-batch"], ((YamlDotNet.RepresentationModel.YamlSequenceNode)route["mute_time_intervals"]).Select(n => ((YamlDotNet.RepresentationModel.YamlScalarNode)n).Value));
            Assert.Contains("severity=\"warning\"", matchers);
            Assert.Contains("service=\"inventory-service\"", matchers);
            Assert.DoesNotContain(matchers, m => m!.Contains("Critical", StringComparison.Ordinal) || m.Contains("Timeouts", StringComparison.Ordinal));
        }

        Assert.Equal(("02:00", "02:45"), (RuleFiles.Scalar(times, "start_time"), RuleFiles.Scalar(times, "end_time")));
    }

    private static IEnumerable<YamlDotNet.RepresentationModel.YamlMappingNode> Routes(YamlDotNet.RepresentationModel.YamlMappingNode route)
    {
        yield return route;
        if (route.Children.TryGetValue(new YamlDotNet.RepresentationModel.YamlScalarNode("routes"), out var children))
        {
            foreach (var child in ((YamlDotNet.RepresentationModel.YamlSequenceNode)children).Cast<YamlDotNet.RepresentationModel.YamlMappingNode>().SelectMany(Routes))
            {
                yield return child;
            }
        }
    }

    private static async Task<string> RouteAsync(params string[] labels)
    {
        var (exit, output) = await PrometheusTools.AmtoolAsync(["config", "routes", "test", $"--config.file={ConfigFile}", .. labels]);
        Assert.True(exit == 0, output);
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Single(l => !l.StartsWith("Warning:", StringComparison.Ordinal));
    }
}
