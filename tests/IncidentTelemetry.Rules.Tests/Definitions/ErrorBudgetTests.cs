using System.Text.RegularExpressions;
using IncidentTelemetry.Rules.Definitions;
using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests.Definitions;

/// <summary>
/// The objectives of the error-budget alerts: how they are configured (defaults, errors naming the key), what the render
/// writes for them (no division by zero, no day-long range over raw series, groups within the ruler limit), and the
/// per-route budget of a quiet and a burning route behind a ruler that aggregates by cluster.
/// </summary>
public sealed partial class ErrorBudgetTests
{
    private const string Shop = "services:\n  shop:\n    team: web\n";

    [Fact]
    public void Parse_NoObjectives_NoBurnRateAlertsAndNoBudgetRules()
    {
        var configuration = RulesConfiguration.Parse(Shop);
        var text = RuleRenderer.Render(configuration, RuleFormat.Prometheus);

        Assert.Null(configuration.Services[0].Objectives);
        Assert.DoesNotContain("Budget", text, StringComparison.Ordinal);
        Assert.DoesNotContain(":slo_", text, StringComparison.Ordinal);
        Assert.DoesNotContain(":slo_", RuleRenderer.Render(RulesConfiguration.Default, RuleFormat.Prometheus), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_EmptyObjectives_Availability999Over30DaysAndNoLatency()
    {
        var service = RulesConfiguration.Parse(Shop + "    objectives: {}\n").Services[0];

        Assert.Equal(99.9, service.Objectives!.AvailabilityTarget);
        Assert.Null(service.Objectives.LatencyTarget);
        Assert.Equal(0.5, service.Objectives.LatencySeconds);
        Assert.Equal(TimeSpan.FromDays(30), service.Objectives.Window);
        Assert.False(service.Objectives.PerRoute);
        Assert.Equal([AlertName.AvailabilityBudgetBurnFast, AlertName.AvailabilityBudgetBurnSlow], service.Alerts.Where(ErrorBudget.IsBudgetAlert));
    }

    [Fact]
    public void Parse_AllObjectiveKeys_ReadAsWritten()
    {
        var others = RulesConfiguration.Parse("otherServices:\n  objectives: {availability: off, latency: 99.5, latencySeconds: 1, window: 28d, perRoute: true}\n").OtherServices!;

        Assert.Null(others.Objectives!.AvailabilityTarget);
        Assert.Equal(99.5, others.Objectives.LatencyTarget);
        Assert.Equal(1, others.Objectives.LatencySeconds);
        Assert.Equal(TimeSpan.FromDays(28), others.Objectives.Window);
        Assert.True(others.Objectives.PerRoute);
        Assert.Equal([AlertName.LatencyBudgetBurnFast, AlertName.LatencyBudgetBurnSlow], others.Alerts.Where(ErrorBudget.IsBudgetAlert));
    }

    [Fact]
    public void Parse_LatencyThresholdNotABucketBoundary_ErrorNamesKeyValueAndBoundaries()
    {
        var error = Assert.Throws<RulesConfigurationException>(() => RulesConfiguration.Parse(Shop + "    objectives:\n      latency: 99\n      latencySeconds: 0.3\n"));

        Assert.Equal("services.shop.objectives.latencySeconds", error.Key);
        Assert.Contains("0.3 is not a bucket boundary", error.Message, StringComparison.Ordinal);
        Assert.Contains("0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 1.5, 2, 2.5, 5, 7.5, 10", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("    objectives:\n      availability: 0.999\n", "services.shop.objectives.availability")]
    [InlineData("    objectives:\n      availability: 100\n", "services.shop.objectives.availability")]
    [InlineData("    objectives:\n      latency: high\n", "services.shop.objectives.latency")]
    [InlineData("    objectives:\n      window: 36h\n", "services.shop.objectives.window")]
    [InlineData("    objectives:\n      window: 3d\n", "services.shop.objectives.window")]
    [InlineData("    objectives:\n      window: 180d\n", "services.shop.objectives.window")]
    [InlineData("    objectives:\n      perRoute: yes please\n", "services.shop.objectives.perRoute")]
    [InlineData("    objectives:\n      target: 99.9\n", "services.shop.objectives.target")]
    [InlineData("    objectives: [99.9]\n", "services.shop.objectives")]
    [InlineData("    alerts: [LatencyBudgetBurnFast]\n    objectives: {}\n", "services.shop.alerts[0]")]
    [InlineData("    alerts: [AvailabilityBudgetBurnSlow]\n", "services.shop.alerts[0]")]
    public void Parse_BadObjective_ErrorNamesTheFullPath(string entries, string key)
    {
        var error = Assert.Throws<RulesConfigurationException>(() => RulesConfiguration.Parse(Shop + entries));

        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void Render_Objectives_EveryRatioDividesOnlyByTrafficAboveZero()
    {
        var text = RuleRenderer.Render(RulesConfiguration.Parse(Shop + "    objectives: {latency: 99, perRoute: true}\n"), RuleFormat.Prometheus);
        var alerts = RuleFiles.Rules(text).Where(r => ErrorBudget.IsBudgetAlert(RuleFiles.Scalar(r.Rule, "alert") ?? string.Empty)).ToList();

        Assert.Equal(4, alerts.Count);
        foreach (var (_, rule) in alerts)
        {
            var expression = RuleFiles.Scalar(rule, "expr")!;
            var divisions = Division().Matches(expression);
            Assert.NotEmpty(divisions);
            Assert.All(divisions, d => Assert.EndsWith("> 0)", d.Value, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Render_Objectives_DayLongWindowsReadOnlyRecordedRates()
    {
        var text = RuleRenderer.Render(RulesConfiguration.Parse("otherServices:\n  objectives: {latency: 99}\n" + Shop + "    objectives: {window: 28d}\n"), RuleFormat.Prometheus);
        var expressions = RuleFiles.Rules(text).Select(r => RuleFiles.Scalar(r.Rule, "expr")!).ToList();

        // Raw series are read over at most six hours; 1d, 3d, 28d and 30d average the recorded 5m rates, once.
        Assert.DoesNotContain(expressions, e => RawDayWindow().IsMatch(e));
        foreach (var window in new[] { "1d", "3d", "28d", "30d" })
        {
            Assert.Single(RuleFiles.Rules(text), r => RuleFiles.Scalar(r.Rule, "record") == ErrorBudget.Requests(window));
            Assert.Single(RuleFiles.Rules(text), r => RuleFiles.Scalar(r.Rule, "record") == ErrorBudget.Errors(window));
        }
    }

    [Fact]
    public async Task Render_FortyServicesWithObjectives_GroupsWithinTwentyRulesAndPromtoolLintClean()
    {
        var services = string.Concat(Enumerable.Range(1, 40).Select(i => $"  svc-{i}:\n    team: team-{i % 4}\n    objectives: {{latency: 99{(i % 3 == 0 ? ", perRoute: true" : string.Empty)}}}\n"));
        var configuration = RulesConfiguration.Parse("aggregationLabels: [cluster]\notherServices:\n  objectives: {}\nservices:\n" + services);
        var text = RuleRenderer.Render(configuration, RuleFormat.Prometheus);

        Assert.All(RuleFiles.Rules(text).GroupBy(r => r.Group), g => Assert.True(g.Count() <= 20, $"{g.Key} has {g.Count()} rules"));
        using var dir = new TempDirectory("it-rules-slo-");
        var file = Path.Combine(dir.Path, "rules.yml");
        await File.WriteAllTextAsync(file, text);
        var (exit, output) = await PrometheusTools.PromtoolAsync("check", "rules", "--lint=all", "--lint-fatal", file);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task PromtoolTestRules_PerRouteBudgetsWithClusters_BurningRoutePagesQuietRouteSilent()
    {
        // shop: /pay serves 10 requests/s, 8 % of them 500s from minute 60 (80x the budget); /export has no traffic at
        // all, only a 500 series left from before. One rule per alert, grouped by http_route: /pay pages 7 minutes after
        // the burn starts (the service is an hour old, so its 6h window is its life: 80x for 5 of 65 minutes passes 6x,
        // then for: 2m), /export neither fires nor errors. Series carry a cluster, and so do the alerts.
        var configuration = RulesConfiguration.Parse("aggregationLabels: [cluster]\notherServices: false\n" + Shop + "    objectives: {perRoute: true}\n");
        var model = new BudgetModel(120,
            new("/pay", "200", m => m >= 60 ? 9.2 : 10),
            new("/pay", "500", m => m >= 60 ? 0.8 : 0, Start: 60),
            new("/export", "200", _ => 0, Offset: 40),
            new("/export", "500", _ => 0, Offset: 2));
        var objective = new BudgetModel.Objective("shop", "web", "P3", Availability: true, Target: 99.9, Threshold: 0.5, Excluded: [], PerRoute: true);
        var test = model.Test("per-route budgets: /pay burns, /export is quiet", AlertName.AvailabilityBudgetBurnFast, objective,
            "job=\"shop\", instance=\"shop:8080\", cluster=\"eu-1\"",
            [(62, null), (64, null), (68, ["/pay"]), (100, ["/pay"])]);
        test = test with
        {
            Checks = [.. test.Checks.Select(c => c with { Expected = [.. c.Expected.Select(e => e with { Labels = new Dictionary<string, string>(e.Labels) { ["cluster"] = "eu-1" } })] })],
        };
        var slow = model.Test("per-route budgets: nothing to ticket on the quiet route", AlertName.AvailabilityBudgetBurnSlow, objective,
            "job=\"shop\", instance=\"shop:8080\", cluster=\"eu-1\"",
            [(30, null), (59, null)]);

        using var dir = new TempDirectory("it-rules-slo-");
        var (exit, output) = await RuleTestFile.RunAsync(dir.Path, configuration, ErrorBudgetCases.Evaluation, [test, slow]);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0.005, "0[.]0050*")]
    [InlineData(0.5, "0[.]50*")]
    [InlineData(1, "1([.]0*)?")]
    [InlineData(10, "10([.]0*)?")]
    public void LeMatcher_Bound_MatchesEverySpellingAndNoOtherBound(double bound, string expected)
    {
        var matcher = ErrorBudget.LeMatcher(bound);

        Assert.Equal(expected, matcher);
        var re = new Regex("^(?:" + matcher + ")$");
        Assert.All(Series.Buckets, b =>
        {
            var spellings = new[] { b.ToString(System.Globalization.CultureInfo.InvariantCulture), b.ToString("0.0##", System.Globalization.CultureInfo.InvariantCulture), b.ToString("0.000", System.Globalization.CultureInfo.InvariantCulture) };
            Assert.All(spellings, s => Assert.Equal(b == bound, re.IsMatch(s)));
        });
    }

    [Theory]
    [InlineData(30, 14.4, 6, 3, 1)]
    [InlineData(28, 13.44, 5.6, 2.8, 0.9333)]
    public void Factor_Window_TheWorkbooksBurnRates(int days, double page1, double page2, double ticket1, double ticket2)
    {
        var window = TimeSpan.FromDays(days);

        Assert.Equal([page1, page2], ErrorBudget.Page.Select(p => ErrorBudget.Factor(p, window)));
        Assert.Equal([ticket1, ticket2], ErrorBudget.Ticket.Select(p => ErrorBudget.Factor(p, window)));
    }

    // A division and its right-hand operand up to the end of the line: "/ on (...)\n  (sum by (...) (...) > 0)".
    [GeneratedRegex(@"/ on \([^)]*\)\s*\n\s*\(sum by \([^)]*\) \([^\n]*\) > 0\)|/ on \([^)]*\)\s*\n\s*[^\n(]+", RegexOptions.CultureInvariant)]
    private static partial Regex Division();

    [GeneratedRegex(@"http_server_request_duration_seconds_[a-z]+\{[^}]*\}\[(\d+d|\d+w)", RegexOptions.CultureInvariant)]
    private static partial Regex RawDayWindow();
}
