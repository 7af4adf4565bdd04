using System.Globalization;
using System.Text;
using IncidentTelemetry.Rules.Tests.Definitions;
using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests.Topology;

/// <summary>
/// Renders for 40 and 100 services within Mimir's default ruler limits: at most 20 rules per group
/// (<c>-ruler.max-rules-per-rule-group</c>) and, grouped by team, at most 70 groups (<c>-ruler.max-rule-groups-per-tenant</c>).
/// </summary>
public sealed class RuleGroupLimitTests
{
    private const int MimirMaxRulesPerGroup = 20;
    private const int MimirMaxGroupsPerTenant = 70;

    private static readonly string[] Clusters = ["a", "b"];

    private static readonly string[] SharedServices = ["svc-a", "svc-b", "svc-c"];

    public static TheoryData<int, string, int> Renders => new()
    {
        // services, grouping, groups allowed
        { 40, "service", MimirMaxGroupsPerTenant },
        { 40, "team", MimirMaxGroupsPerTenant },
        { 100, "team", MimirMaxGroupsPerTenant },
        { 100, "service", int.MaxValue },
    };

    [Theory]
    [MemberData(nameof(Renders))]
    public async Task Render_ManyServices_EveryGroupWithinMimirLimitsAndPromtoolClean(int services, string grouping, int groupsAllowed)
    {
        var configuration = RulesConfiguration.Parse(ManyServices(services, grouping, aggregated: true));
        var yaml = RuleRenderer.Render(configuration, RuleFormat.Prometheus);
        var groups = RuleFiles.Rules(yaml).GroupBy(r => r.Group).Select(g => (Name: g.Key, Rules: g.Count())).ToList();

        Assert.All(groups, g => Assert.True(g.Rules <= MimirMaxRulesPerGroup, $"{g.Name} has {g.Rules} rules"));
        Assert.True(groups.Count <= groupsAllowed, $"{groups.Count} groups for {services} services by {grouping}");
        Assert.Equal(groups.Count, groups.Select(g => g.Name).Distinct().Count());

        // Every service still gets every alert that applies to it: shared rules select its job.
        var alertRules = RuleFiles.Rules(yaml).Where(r => RuleFiles.Scalar(r.Rule, "alert") is not null).ToList();
        for (var i = 0; i < services; i++)
        {
            var name = Service(i);
            Assert.Contains(alertRules, r => RuleFiles.Scalar(r.Rule, "alert") == "ServiceMetricsMissing" && RuleFiles.Scalar(r.Rule, "expr")!.Contains(name, StringComparison.Ordinal));
        }

        using var dir = new TempDirectory("it-groups-");
        var file = dir.Combine("rules.yml");
        await File.WriteAllTextAsync(file, yaml);
        var (exit, output) = await PrometheusTools.PromtoolAsync("check", "rules", "--lint=all", "--lint-fatal", file);
        Assert.True(exit == 0, output);
    }

    [Fact]
    public void Render_HundredServicesByService_NeedsMoreThanMimirsGroupLimit()
    {
        // Why "by: team" exists: one group per service cannot stay within 70 groups for 100 services.
        var yaml = RuleRenderer.Render(RulesConfiguration.Parse(ManyServices(100, "service", aggregated: false)), RuleFormat.Prometheus);

        Assert.True(RuleFiles.Rules(yaml).Select(r => r.Group).Distinct().Count() > MimirMaxGroupsPerTenant);
    }

    [Fact]
    public void Render_Default_RecordingRulesSplitWithEveryChainInOneGroup()
    {
        var yaml = RuleRenderer.Render(RulesConfiguration.Default, RuleFormat.Prometheus);
        var recording = RuleFiles.Rules(yaml).Where(r => RuleFiles.Scalar(r.Rule, "record") is not null).ToList();
        var groupOf = recording.ToDictionary(r => RuleFiles.Scalar(r.Rule, "record")!, r => r.Group, StringComparer.Ordinal);

        Assert.True(recording.Select(r => r.Group).Distinct().Count() >= 2);
        foreach (var (group, rule) in recording)
        {
            var expression = RuleFiles.Scalar(rule, "expr")!;
            foreach (var (record, itsGroup) in groupOf)
            {
                if (System.Text.RegularExpressions.Regex.IsMatch(expression, $@"(?<![\w:]){System.Text.RegularExpressions.Regex.Escape(record)}(?![\w:])"))
                {
                    Assert.True(itsGroup == group, $"{RuleFiles.Scalar(rule, "record")} ({group}) reads {record} ({itsGroup})");
                }
            }
        }
    }

    [Fact]
    public void Render_IntervalAndMaxRules_EveryGroupHasTheIntervalAndTheSize()
    {
        var yaml = RuleRenderer.Render(RulesConfiguration.Parse("ruleGroups:\n  maxRules: 8\n  interval: 30s\n"), RuleFormat.Prometheus);
        var groups = (YamlDotNet.RepresentationModel.YamlSequenceNode)RuleFiles.Load(yaml)["groups"];

        Assert.All(groups.Cast<YamlDotNet.RepresentationModel.YamlMappingNode>(), g => Assert.Equal("30s", RuleFiles.Scalar(g, "interval")));
        Assert.All(RuleFiles.Rules(yaml).GroupBy(r => r.Group), g => Assert.True(g.Count() <= 8, g.Key));
    }

    [Theory]
    [InlineData("ruleGroups:\n  maxRules: 3\n", "ruleGroups.maxRules")]
    [InlineData("ruleGroups:\n  maxRules: 0\n", "ruleGroups.maxRules")]
    [InlineData("ruleGroups:\n  by: cluster\n", "ruleGroups.by")]
    [InlineData("ruleGroups:\n  interval: soon\n", "ruleGroups.interval")]
    [InlineData("ruleGroups:\n  size: 10\n", "ruleGroups.size")]
    public void ParseAndRender_BadRuleGroups_ErrorNamesTheKey(string yaml, string key)
    {
        var error = Assert.Throws<RulesConfigurationException>(() => RuleRenderer.Render(RulesConfiguration.Parse(yaml), RuleFormat.Prometheus));

        Assert.Equal(key, error.Key);
    }

    [Fact]
    public async Task PromtoolTestRules_SharedTeamRules_EachServiceAlertsUnderItsOwnName()
    {
        // Three services of one team share rules; b has no target in cluster a, c's container restarts, and c's
        // target in cluster b is down.
        var configuration = RulesConfiguration.Parse("""
            aggregationLabels: [cluster]
            otherServices: false
            ruleGroups:
              by: team
            services:
              svc-a: {team: web}
              svc-b: {team: web}
              svc-c: {team: web}
            """);
        var up = new List<(string, string)>();
        foreach (var cluster in Clusters)
        {
            foreach (var job in SharedServices.Where(j => !(cluster == "a" && j == "svc-b")))
            {
                up.Add(($"up{{cluster=\"{cluster}\", job=\"{job}\", instance=\"{job}:8080\"}}", cluster == "b" && job == "svc-c" ? "1x3 0x37" : "1x40"));
            }
        }

        var test = new RuleTest("shared rules keep each service's name", TimeSpan.FromSeconds(30),
            [
                .. up,
                ("kube_pod_container_status_restarts_total{cluster=\"a\", job=\"kube-state-metrics\", namespace=\"web\", pod=\"svc-c-1\", container=\"svc-c\"}", "0x10 1x30"),
            ],
            [
                new(TimeSpan.FromMinutes(10), "ServiceMetricsMissing",
                [
                    Expected("svc-b", "cluster=\"a\", job=\"svc-b\"", "svc-b: metrics missing", "Prometheus has no target for svc-b (job svc-b): every other alert of the service is blind there."),
                    Expected("svc-c", "cluster=\"b\", job=\"svc-c\", instance=\"svc-c:8080\"", "svc-c: metrics missing", "Prometheus cannot scrape svc-c:8080 of svc-c: every other alert of the service is blind there."),
                ]),
                new(TimeSpan.FromMinutes(10), "KubePodRestarted",
                [
                    new ExpectedAlert(
                        new Dictionary<string, string> { ["severity"] = "warning", ["team"] = "web", ["service"] = "svc-c", ["priority"] = "P3", ["cluster"] = "a", ["namespace"] = "web", ["pod"] = "svc-c-1", ["container"] = "svc-c", ["job"] = "svc-c" },
                        new Dictionary<string, string>
                        {
                            ["summary"] = "svc-c: container restarted (kube-state-metrics)",
                            ["description"] = "Container svc-c of pod web/svc-c-1 restarted 1 time(s) in the last 15m. Check the last termination reason (OOMKilled?).",
                            ["runbook_url"] = RulesConfiguration.DefaultRunbookBaseUrl + "KubePodRestarted.md",
                        }),
                ]),
            ]);
        using var dir = new TempDirectory("it-rules-");
        var (exit, output) = await RuleTestFile.RunAsync(dir.Path, configuration, TimeSpan.FromSeconds(30), [test]);

        Assert.True(exit == 0, output);
    }

    private static ExpectedAlert Expected(string service, string labels, string summary, string description)
    {
        var all = new Dictionary<string, string> { ["severity"] = "warning", ["team"] = "web", ["service"] = service, ["priority"] = "P3" };
        foreach (var pair in labels.Split(", "))
        {
            all[pair[..pair.IndexOf('=', StringComparison.Ordinal)]] = pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..].Trim('"');
        }

        return new ExpectedAlert(all, new Dictionary<string, string>
        {
            ["summary"] = summary,
            ["description"] = description,
            ["runbook_url"] = RulesConfiguration.DefaultRunbookBaseUrl + "ServiceMetricsMissing.md",
        });
    }

    private static string Service(int i) => $"svc-{i.ToString("000", CultureInfo.InvariantCulture)}";

    /// <summary>
    /// <paramref name="count"/> services in twelve teams: every fifth with its own Redis and Sentinel exporter jobs (all 23
    /// alerts, more than one group holds), every seventh with its own latency threshold (so it shares no rules).
    /// </summary>
    private static string ManyServices(int count, string grouping, bool aggregated)
    {
        var yaml = new StringBuilder();
        yaml.Append(CultureInfo.InvariantCulture, $"ruleGroups:\n  by: {grouping}\n");
        if (aggregated)
        {
            yaml.Append("aggregationLabels: [cluster]\n");
        }

        yaml.Append("services:\n");
        for (var i = 0; i < count; i++)
        {
            yaml.Append(CultureInfo.InvariantCulture, $"  {Service(i)}:\n    team: team-{i % 12}\n");
            if (i % 5 == 0)
            {
                yaml.Append(CultureInfo.InvariantCulture, $"    redisJob: redis-{i}\n    sentinelJob: sentinel-{i}\n");
            }

            if (i % 7 == 0)
            {
                yaml.Append("    thresholds:\n      serviceP95Seconds: 1\n");
            }
        }

        return yaml.ToString();
    }
}
