using System.Text.RegularExpressions;
using IncidentTelemetry.Rules.Definitions;
using IncidentTelemetry.Rules.Tests.Definitions;
using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests.Topology;

/// <summary>
/// Every alert's promtool cases replayed for two clusters behind one ruler (<c>aggregationLabels: [cluster]</c>): each
/// input series once with <c>cluster="a"</c> and once with <c>cluster="b"</c>, and each expected alert once per cluster
/// with its <c>cluster</c> label. An alert that merged the clusters would fire once, without the label, and fail.
/// </summary>
public sealed partial class ClusterCasesTests
{
    public static TheoryData<string> Alerts => [.. AlertCatalog.All.Select(a => a.Name)];

    private static RulesConfiguration Configuration => SampleShop.Configuration.WithAggregationLabels("cluster");

    [Theory]
    [MemberData(nameof(Alerts))]
    public async Task PromtoolTestRules_TwoClusters_EveryAlertFiresOncePerClusterWithItsLabel(string alert)
    {
        var cases = AlertCases.ByAlert[alert]().Select(t => new RuleTest(
            t.Name + " (clusters a and b)",
            t.Interval,
            [.. t.Input.SelectMany(s => new[] { (InCluster(s.Series, "a"), s.Values), (InCluster(s.Series, "b"), s.Values) })],
            [.. t.Checks.Select(c => c with { Expected = [.. c.Expected.SelectMany(e => new[] { InCluster(e, "a"), InCluster(e, "b") })] })]));
        using var dir = new TempDirectory("it-rules-");
        var (exit, output) = await RuleTestFile.RunAsync(dir.Path, ErrorBudgetCases.ConfigurationFor(alert).WithAggregationLabels("cluster"), TimeSpan.FromMinutes(1), cases);

        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task ServiceMetricsMissing_JobMissingInOneCluster_FiresForThatClusterOnly()
    {
        const string alert = "ServiceMetricsMissing";
        var others = new[] { "order-service", "inventory-service", "api-gateway", "user-service" };
        var test = new RuleTest("payment-service has a target in cluster a only", TimeSpan.FromSeconds(15),
            [
                .. others.SelectMany(j => new[] { ($"up{{cluster=\"a\", job=\"{j}\", instance=\"{j}:8080\"}}", "1x80"), ($"up{{cluster=\"b\", job=\"{j}\", instance=\"{j}:8080\"}}", "1x80") }),
                ("up{cluster=\"a\", job=\"payment-service\", instance=\"payment:8080\"}", "1x80"),

                // The ruler's own scrape carries no cluster: it is not one more cluster without payment-service.
                ("up{job=\"prometheus\", instance=\"localhost:9090\"}", "1x80"),
            ],
            [
                new(TimeSpan.FromMinutes(4), alert, []),
                new(TimeSpan.FromMinutes(10), alert, [InCluster(AlertCases.Fired(alert, "warning", "payment-service", "", "payment-service: metrics missing",
                    "Prometheus has no target for payment-service (job payment-service): every other alert of the service is blind there."), "b")]),
            ]);
        using var dir = new TempDirectory("it-rules-");
        var (exit, output) = await RuleTestFile.RunAsync(dir.Path, Configuration, TimeSpan.FromSeconds(15), [test]);

        Assert.True(exit == 0, output);
    }

    /// <summary>A promtool series selector with <c>cluster</c> added to its labels.</summary>
    internal static string InCluster(string series, string cluster)
    {
        var match = SeriesSelector().Match(series);
        Assert.True(match.Success, $"not a series selector: {series}");
        var labels = match.Groups["labels"].Value.Trim();
        return $"{match.Groups["name"].Value}{{{(labels.Length == 0 ? string.Empty : labels + ", ")}cluster=\"{cluster}\"}}";
    }

    private static ExpectedAlert InCluster(ExpectedAlert alert, string cluster)
        => alert with { Labels = new Dictionary<string, string>(alert.Labels, StringComparer.Ordinal) { ["cluster"] = cluster } };

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)\{(?<labels>.*)\}$", RegexOptions.Singleline)]
    private static partial Regex SeriesSelector();
}
