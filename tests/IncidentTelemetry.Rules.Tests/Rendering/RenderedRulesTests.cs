using IncidentTelemetry.Rules.Definitions;
using IncidentTelemetry.Rules.Tests.Infrastructure;
using YamlDotNet.RepresentationModel;
using YamlDotNet.Serialization;

namespace IncidentTelemetry.Rules.Tests.Rendering;

/// <summary>The files in rules/ are a fresh render, promtool accepts every render, and each alert has the same shape.</summary>
public sealed class RenderedRulesTests
{
    private static readonly string[] RequiredLabels = ["severity", "team", "service", "priority"];
    private static readonly string[] RequiredAnnotations = ["summary", "description", "runbook_url"];
    private static readonly string[] Severities = ["warning", "critical"];

    public static TheoryData<double> Scales => [1, 30];

    [Fact]
    public void Render_Default_EqualsCommittedPrometheusFile()
    {
        var fresh = RuleRenderer.Render(RulesConfiguration.Default, RuleFormat.Prometheus);

        Assert.True(fresh == File.ReadAllText(RuleFiles.PrometheusFile), "rules/incident-telemetry.rules.yml differs from a fresh render: run scripts/render-rules.sh and commit the result.");
    }

    [Fact]
    public void Render_Default_EqualsCommittedOperatorManifest()
    {
        var fresh = RuleRenderer.Render(RulesConfiguration.Default, RuleFormat.PrometheusOperator);

        Assert.True(fresh == File.ReadAllText(RuleFiles.OperatorFile), "rules/prometheus-operator/incident-telemetry-prometheusrule.yaml differs from a fresh render: run scripts/render-rules.sh and commit the result.");
    }

    [Theory]
    [MemberData(nameof(Scales))]
    public async Task PromtoolCheckRules_PrometheusRender_Clean(double scale)
    {
        using var dir = new TempDirectory("it-rules-check-");
        var file = dir.Combine("rules.yml");
        await File.WriteAllTextAsync(file, RuleRenderer.Render(RulesConfiguration.Default.WithTimeScale(scale), RuleFormat.Prometheus));

        var (exit, output) = await PrometheusTools.PromtoolAsync("check", "rules", file);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
        Assert.DoesNotContain("WARNING", output, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [MemberData(nameof(Scales))]
    public async Task PromtoolCheckRules_OperatorManifestSpec_CleanAndSameGroupsAsRuleFile(double scale)
    {
        var config = RulesConfiguration.Default.WithTimeScale(scale);
        var manifest = RuleFiles.Load(RuleRenderer.Render(config, RuleFormat.PrometheusOperator));
        Assert.Equal("monitoring.coreos.com/v1", RuleFiles.Scalar(manifest, "apiVersion"));
        Assert.Equal("PrometheusRule", RuleFiles.Scalar(manifest, "kind"));
        Assert.Equal("incident-telemetry", RuleFiles.Scalar((YamlMappingNode)manifest["metadata"], "name"));

        var spec = ToYaml(manifest["spec"]);
        Assert.Equal(ToYaml(RuleFiles.Load(RuleRenderer.Render(config, RuleFormat.Prometheus))), spec);

        using var dir = new TempDirectory("it-rules-check-");
        var file = dir.Combine("spec.yml");
        await File.WriteAllTextAsync(file, spec);
        var (exit, output) = await PrometheusTools.PromtoolAsync("check", "rules", file);
        Assert.True(exit == 0, output);
    }

    public static TheoryData<string, int> Configurations => new()
    {
        { "sample shop", 1 }, { "sample shop", 30 }, { "aggregated by cluster and namespace", 1 }, { "aggregated by cluster and namespace", 30 },
    };

    [Theory]
    [MemberData(nameof(Configurations))]
    public async Task PromtoolCheckRules_SampleShopAndAggregatedRenders_CleanInBothFormats(string configuration, int scale)
    {
        var config = (configuration == "sample shop" ? SampleShop.Configuration : RulesConfiguration.Default.WithAggregationLabels("cluster", "namespace")).WithTimeScale(scale);
        using var dir = new TempDirectory("it-rules-check-");
        var file = dir.Combine("rules.yml");
        await File.WriteAllTextAsync(file, RuleRenderer.Render(config, RuleFormat.Prometheus));
        var spec = dir.Combine("spec.yml");
        await File.WriteAllTextAsync(spec, ToYaml(RuleFiles.Load(RuleRenderer.Render(config, RuleFormat.PrometheusOperator))["spec"]));

        foreach (var path in new[] { file, spec })
        {
            var (exit, output) = await PrometheusTools.PromtoolAsync("check", "rules", path);
            Assert.True(exit == 0, output);
            Assert.DoesNotContain("WARNING", output, StringComparison.OrdinalIgnoreCase);
        }
    }

    [Fact]
    public void Render_EveryAlert_HasLabelsAndAnnotationsAndRunbookLink()
    {
        var alerts = RuleFiles.Rules(RuleRenderer.Render(Definitions.ErrorBudgetCases.Configuration, RuleFormat.Prometheus))
            .Where(r => RuleFiles.Scalar(r.Rule, "alert") is not null).ToList();

        Assert.Equal(AlertCatalog.All.Select(a => a.Name).ToHashSet(), alerts.Select(a => RuleFiles.Scalar(a.Rule, "alert")!).ToHashSet());
        foreach (var (group, rule) in alerts)
        {
            var name = RuleFiles.Scalar(rule, "alert")!;
            var labels = RuleFiles.Map(rule, "labels");
            var annotations = RuleFiles.Map(rule, "annotations");
            Assert.All(RequiredLabels, l => Assert.False(string.IsNullOrEmpty(labels.GetValueOrDefault(l)), $"{group}/{name}: label {l}"));
            Assert.All(RequiredAnnotations, a => Assert.False(string.IsNullOrEmpty(annotations.GetValueOrDefault(a)), $"{group}/{name}: annotation {a}"));
            Assert.Contains(labels["severity"], Severities);
            Assert.Equal("incident-telemetry." + labels["service"], group);
            Assert.Equal(RulesConfiguration.DefaultRunbookBaseUrl + name + ".md", annotations["runbook_url"]);
            if (name is not ("ServiceMetricsMissing" or "RedisSentinelQuorumLost" or "RedisExporterDown"))
            {
                // Their value is a 0/1 state that says nothing; every other description shows the measured value.
                Assert.Contains("$value", annotations["description"], StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void Render_Default_TeamsAndPrioritiesFromTheIncidentReviews()
    {
        var alerts = RuleFiles.Rules(RuleRenderer.Render(SampleShop.Configuration, RuleFormat.Prometheus))
            .Where(r => RuleFiles.Scalar(r.Rule, "alert") is not null)
            .Select(r => (Name: RuleFiles.Scalar(r.Rule, "alert")!, Labels: RuleFiles.Map(r.Rule, "labels")))
            .ToList();

        var teams = alerts.GroupBy(a => a.Labels["service"]).ToDictionary(g => g.Key, g => g.Select(a => a.Labels["team"]).Distinct().Single());
        Assert.Equal("payments", teams["payment-service"]);
        Assert.Equal("orders", teams["order-service"]);
        Assert.Equal("orders", teams["inventory-service"]);
        Assert.Equal("platform", teams["api-gateway"]);
        Assert.Equal("identity", teams["user-service"]);

        // Week 49's table: Redis alerts P1, logins/inventory/dependency P2; Sentinel failover critical.
        string Label(string alert, string label) => alerts.First(a => a.Name == alert).Labels[label];
        Assert.Equal("P1", Label("RedisMemoryHigh", "priority"));
        Assert.Equal("P1", Label("RedisSentinelFailover", "priority"));
        Assert.Equal("critical", Label("RedisSentinelFailover", "severity"));
        Assert.Equal("P2", Label("LoginRateSpike", "priority"));
        Assert.Equal("P2", Label("DatabaseQueryLatencyP95High", "priority"));
        Assert.Equal("P2", Label("DependencyLatencyP95High", "priority"));
        Assert.Equal("critical", Label("ConnectionPoolUtilisationCritical", "severity"));
        Assert.Equal("warning", Label("ConnectionPoolUtilisationHigh", "severity"));
    }

    [Fact]
    public void Render_EveryMetricName_IsInTheCatalogue()
    {
        var rules = RuleFiles.Rules(RuleRenderer.Render(SampleShop.Configuration, RuleFormat.Prometheus)).ToList();
        // Recorded series (level:metric:operation) are the rules' own names, not the services'.
        var names = rules.SelectMany(r => PromqlScanner.MetricNames(RuleFiles.Scalar(r.Rule, "expr")!))
            .Where(n => !n.Contains(':', StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains("db_client_connection_count", names); // the scanner finds names at all
        Assert.Contains("kube_pod_container_status_restarts_total", names);
        Assert.Empty(names.Where(n => IncidentTelemetry.Catalogue.MetricCatalogue.BySeries(n) is null).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Render_RecordingRules_NamedLevelMetricOperationsAndReadOnlyRecordedOrCatalogueSeries()
    {
        var rules = RuleFiles.Rules(RuleRenderer.Render(SampleShop.Configuration, RuleFormat.Prometheus)).ToList();
        var recorded = rules.Select(r => RuleFiles.Scalar(r.Rule, "record")).OfType<string>().ToList();

        Assert.NotEmpty(recorded);
        Assert.All(recorded, r => Assert.Matches("^[a-z_]+:[a-z0-9_]+:[a-z0-9_]+$", r));
        Assert.Equal(recorded.Count, recorded.Distinct(StringComparer.Ordinal).Count());

        // Every recorded series an alert reads is recorded.
        var read = rules.SelectMany(r => System.Text.RegularExpressions.Regex.Matches(RuleFiles.Scalar(r.Rule, "expr")!, "[a-z_]+:[a-z0-9_]+:[a-z0-9_]+").Select(m => m.Value));
        Assert.All(read, name => Assert.Contains(name, recorded));
    }

    [Fact]
    public void Render_TimeScale30_DividesWindowsAndForButNeverBelowTheMinimumWindow()
    {
        var text = RuleRenderer.Render(SampleShop.Configuration.WithTimeScale(30), RuleFormat.Prometheus);

        Assert.Contains("[10s]", text, StringComparison.Ordinal);          // 5m
        Assert.Contains("[2m40s] offset 20s", text, StringComparison.Ordinal); // 80m, 10m
        Assert.Contains("[2m] offset 5h36m", text, StringComparison.Ordinal); // 1h, 1w
        Assert.Contains("offset 5h36m", text, StringComparison.Ordinal);    // 1w
        Assert.Contains("[4s]", text, StringComparison.Ordinal);            // 1m -> 2s, clamped to 4s
        Assert.DoesNotContain("[2s]", text, StringComparison.Ordinal);
        Assert.Contains("for: 10s", text, StringComparison.Ordinal);        // 5m
        Assert.Contains("for: 4s", text, StringComparison.Ordinal);         // 2m
        Assert.Contains("< 2880\n", text, StringComparison.Ordinal);      // 24h horizon
        Assert.Contains("process_uptime_seconds{job=~\"order-service\"}) > 70", text, StringComparison.Ordinal); // 35m of uptime
        Assert.DoesNotContain("[5m]", text, StringComparison.Ordinal);
    }

    private static string ToYaml(YamlNode node)
    {
        using var writer = new StringWriter();
        new YamlStream(new YamlDocument(node)).Save(writer, assignAnchors: false);
        return writer.ToString().Replace("...", string.Empty, StringComparison.Ordinal).Trim();
    }
}
