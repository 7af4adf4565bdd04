using IncidentTelemetry.Rules.Tests.Definitions;
using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests.Otlp;

/// <summary>
/// The OTLP ingestion mode (<c>ingestion: otlp</c>) under <c>promtool test rules</c>, on series shaped as the receivers'
/// translation writes them (<see cref="OtlpCases"/>), evaluated every 30 s over pushes every 60 s.
/// </summary>
public sealed class OtlpRuleTests
{
    private static readonly TimeSpan Evaluation = TimeSpan.FromSeconds(30);

    private static RulesConfiguration Otlp => SampleShop.Configuration.WithIngestion(Ingestion.Otlp);

    [Fact]
    public async Task PromtoolTestRules_ServiceRestarted_FiresOnARestartNotOnADeployOrScaleOut()
    {
        var (exit, output) = await RunAsync(Otlp, OtlpCases.ServiceRestarted());

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolTestRules_ServiceMetricsMissing_FiresWithoutPushesAndNeedsNoUp()
    {
        var (exit, output) = await RunAsync(Otlp, OtlpCases.ServiceMetricsMissing());

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolTestRules_ServiceMetricsMissingTwoClusters_FiresPerClusterWithItsLabel()
    {
        var (exit, output) = await RunAsync(Otlp.WithAggregationLabels("cluster"), OtlpCases.ServiceMetricsMissingTwoClusters());

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolTestRules_WidenedWindows_FireAndStaySilentOnPushesEvery60s()
    {
        var (exit, output) = await RunAsync(Otlp, OtlpCases.Windows());

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolTestRules_SharedTeamRules_MissingServiceAlertsUnderItsName()
    {
        var configuration = RulesConfiguration.Parse("""
            ingestion: otlp
            aggregationLabels: [cluster]
            otherServices: false
            ruleGroups:
              by: team
            services:
              svc-a: {team: web}
              svc-b: {team: web}
              svc-c: {team: web}
            """);

        var (exit, output) = await RunAsync(configuration, OtlpCases.SharedTeamMetricsMissing());

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PromtoolTestRules_ScrapeModeOnPushesEvery60s_LatencyAlertNeverFires()
    {
        // Why the mode widens windows: the scrape render's one-minute rates over 60 s pushes hold one sample at every
        // other 30 s evaluation, so the for never completes. Job without a namespace, so that only the window differs.
        const string route = "job=\"api-gateway\", instance=\"8d41e0b2\", http_route=\"/catalog\", http_request_method=\"GET\"";
        var test = new RuleTest("scrape render, OTLP pushes: slow requests for 20m", OtlpCases.Push,
            [.. Series.Histogram("http_server_request_duration_seconds", route, 0.5, perSecond: 10, samples: 20, OtlpCases.Push)],
            [new(TimeSpan.FromMinutes(12), "ServiceLatencyP95High", [])]);

        var (exit, output) = await RunAsync(SampleShop.Configuration, [test]);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunAsync(RulesConfiguration configuration, IEnumerable<RuleTest> tests)
    {
        using var dir = new TempDirectory("it-rules-otlp-");
        return await RuleTestFile.RunAsync(dir.Path, configuration, Evaluation, tests, asScraped: false);
    }
}
