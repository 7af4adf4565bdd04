using IncidentTelemetry.Rules.Definitions;
using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests.Configuration;

/// <summary>The YAML configuration: what it changes in the render, and errors that name the key.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("colour: blue\n", "colour")]
    [InlineData("services:\n  payment-service:\n    colour: blue\n", "services.payment-service.colour")]
    [InlineData("services:\n  checkout:\n    teams: web\n", "services.checkout.teams")]
    [InlineData("services:\n  payment-service:\n    team: payments\n    thresholds:\n      poolUtilisationWarning: 1.5\n", "services.payment-service.thresholds.poolUtilisationWarning")]
    [InlineData("services:\n  payment-service:\n    team: payments\n    thresholds:\n      poolUtilisationWarning: high\n", "services.payment-service.thresholds.poolUtilisationWarning")]
    [InlineData("services:\n  payment-service:\n    team: payments\n    thresholds:\n      poolUtilisationWarning: 0.95\n", "services.payment-service.thresholds.poolUtilisationWarning")]
    [InlineData("services:\n  payment-service:\n    team: payments\n    thresholds:\n      poolSize: 3\n", "services.payment-service.thresholds.poolSize")]
    [InlineData("services:\n  payment-service:\n    team: payments\n    thresholds:\n      trafficSpikeFactor: -2\n", "services.payment-service.thresholds.trafficSpikeFactor")]
    [InlineData("services:\n  payment-service:\n    team: payments\n    thresholds:\n      minRequestRate: 0\n", "services.payment-service.thresholds.minRequestRate")]
    [InlineData("services:\n  payment-service:\n    team: payments\n    for:\n      TrafficSpike: 5 minutes\n", "services.payment-service.for.TrafficSpike")]
    [InlineData("services:\n  payment-service:\n    team: payments\n    for:\n      TrafficSpikes: 5m\n", "services.payment-service.for.TrafficSpikes")]
    [InlineData("services:\n  payment-service:\n    team: payments\n    alerts: [TrafficSpike, NoSuchAlert]\n", "services.payment-service.alerts[1]")]
    [InlineData("services:\n  payment-service:\n    team: payments\n    job: \"payment-(\"\n", "services.payment-service.job")]
    [InlineData("services:\n  payment-service:\n    team: payments\n    labels:\n      team: other\n", "services.payment-service.labels.team")]
    [InlineData("services:\n  payment-service:\n    team: payments\n    labels:\n      bad-name: x\n", "services.payment-service.labels.bad-name")]
    [InlineData("services:\n  checkout-service:\n    job: checkout\n", "services.checkout-service.team")]
    [InlineData("services:\n  checkout-service:\n    team: payments\n    alerts: [RedisMemoryHigh]\n", "services.checkout-service.redisJob")]
    [InlineData("services:\n  user-service:\n    team: identity\n    alerts: [RedisSentinelFailover]\n    sentinelJob: \"\"\n", "services.user-service.sentinelJob")]
    [InlineData("services:\n  other-services:\n    team: web\n", "services.other-services")]
    [InlineData("otherServices:\n  job: web\n", "otherServices.job")]
    [InlineData("otherServices:\n  team: web\n  alerts: [ServiceMetricsMissing]\n", "otherServices.alerts[0]")]
    [InlineData("aggregationLabels: [cluster, job]\n", "aggregationLabels[1]")]
    [InlineData("aggregationLabels: [cluster, cluster]\n", "aggregationLabels[1]")]
    [InlineData("aggregationLabels: cluster\n", "aggregationLabels")]
    [InlineData("prometheusRule:\n  namespace: Monitoring_NS\n", "prometheusRule.namespace")]
    [InlineData("prometheusRule:\n  selector: x\n", "prometheusRule.selector")]
    [InlineData("prometheusRule:\n  labels:\n    \"bad key!\": x\n", "prometheusRule.labels.bad key!")]
    [InlineData("timeScale: 0\n", "timeScale")]
    [InlineData("minimumWindow: soon\n", "minimumWindow")]
    [InlineData("runbookBaseUrl: docs/runbooks\n", "runbookBaseUrl")]
    [InlineData("services: {}\n", "services")]
    [InlineData("services:\n  - payment-service\n", "services")]
    public void Parse_InvalidSetting_ErrorNamesTheKey(string yaml, string key)
    {
        var error = Assert.Throws<RulesConfigurationException>(() => RuleRenderer.Render(RulesConfiguration.Parse(yaml), RuleFormat.Prometheus));

        Assert.Equal(key, error.Key);
        Assert.StartsWith(key + ": ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_Empty_IsTheDefault()
    {
        Assert.Equal(RuleRenderer.Render(RulesConfiguration.Default, RuleFormat.Prometheus), RuleRenderer.Render(RulesConfiguration.Parse(string.Empty), RuleFormat.Prometheus));
    }

    [Fact]
    public void Parse_ServicesSection_RendersOnlyThoseWithTheirSettings()
    {
        const string yaml = """
            timeScale: 2
            runbookBaseUrl: https://runbooks.example.com/alerts
            labels:
              cluster: prod-eu
            services:
              payment-service:
                team: payments
                job: "payments|payments-canary"
                priority: P0
                thresholds:
                  poolUtilisationWarning: 0.6
                for:
                  ConnectionPoolUtilisationHigh: 10m
                labels:
                  tier: checkout
              checkout-service:
                team: payments
                alerts: [ConnectionPoolUtilisationHigh, ServiceMetricsMissing]
            """;

        var text = RuleRenderer.Render(RulesConfiguration.Parse(yaml), RuleFormat.Prometheus);

        Assert.Contains("- name: incident-telemetry.payment-service", text, StringComparison.Ordinal);
        Assert.Contains("- name: incident-telemetry.checkout-service", text, StringComparison.Ordinal);
        Assert.DoesNotContain("incident-telemetry.user-service", text, StringComparison.Ordinal);
        Assert.DoesNotContain(RuleFiles.Rules(text), r => !r.Group.StartsWith("incident-telemetry.other-services", StringComparison.Ordinal) && RuleFiles.Scalar(r.Rule, "alert") == "RedisMemoryHigh");
        Assert.Contains("job_instance_pool:db_client_connection_usage:ratio_max1m{job=~\"payments|payments-canary\"} >= 0.6", text, StringComparison.Ordinal);
        Assert.Contains("for: 5m", text, StringComparison.Ordinal); // 10m at time scale 2
        Assert.Contains("priority: \"P0\"", text, StringComparison.Ordinal);
        Assert.Contains("cluster: \"prod-eu\"", text, StringComparison.Ordinal);
        Assert.Contains("tier: \"checkout\"", text, StringComparison.Ordinal);
        Assert.Contains("runbook_url: \"https://runbooks.example.com/alerts/ConnectionPoolUtilisationHigh.md\"", text, StringComparison.Ordinal);
        Assert.Contains("job!~\"payments|payments-canary|checkout-service\"", text, StringComparison.Ordinal); // every other job

    }

    [Fact]
    public void WithServices_UserService_BringsItsRedisJobs()
    {
        var text = RuleRenderer.Render(SampleShop.Configuration.WithServices("user-service").WithTimeScale(30), RuleFormat.Prometheus);

        Assert.Contains("redis_memory_used_bytes{job=~\"redis-sessions\"}", text, StringComparison.Ordinal);
        Assert.Contains("redis_sentinel_master_status{job=~\"redis-sentinel\"}", text, StringComparison.Ordinal);
        Assert.Contains("up{job=~\"user-service\"}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("payment-service", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithServices_NotConfigured_ThrowsNamingTheService()
    {
        var error = Assert.Throws<RulesConfigurationException>(() => SampleShop.Configuration.WithServices("billing-service"));

        Assert.Equal("services.billing-service", error.Key);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    public void WithTimeScale_NotPositive_Throws(double scale)
    {
        Assert.Equal("timeScale", Assert.Throws<RulesConfigurationException>(() => RulesConfiguration.Default.WithTimeScale(scale)).Key);
    }

    [Fact]
    public void Default_IsNotChangedByWith()
    {
        var before = RuleRenderer.Render(RulesConfiguration.Default, RuleFormat.Prometheus);
        _ = SampleShop.Configuration.WithServices("payment-service").WithTimeScale(30).WithRunbookBaseUrl("https://example.com/rb");

        Assert.Equal(before, RuleRenderer.Render(RulesConfiguration.Default, RuleFormat.Prometheus));
    }

    [Fact]
    public void Parse_ServiceWithOnlyATeam_GetsEveryAlertForTheLibrarysMetricsWithoutNamingAny()
    {
        var text = RuleRenderer.Render(RulesConfiguration.Parse("services: {checkout: {team: web}}\n"), RuleFormat.Prometheus);

        var checkout = RuleFiles.Rules(text).Where(r => r.Group == "incident-telemetry.checkout").Select(r => RuleFiles.Scalar(r.Rule, "alert")!).ToHashSet();
        var expected = AlertCatalog.All.Where(a => a.Needs is not (AlertNeeds.RedisJob or AlertNeeds.SentinelJob or AlertNeeds.RedisOrSentinelJob or AlertNeeds.AvailabilityObjective or AlertNeeds.LatencyObjective)).Select(a => a.Name).ToHashSet();
        Assert.Equal(expected, checkout);
        Assert.Contains(AlertName.ConnectionPoolUtilisationCritical, checkout);
        Assert.Contains(AlertName.DependencyLatencyP95High, checkout);
        Assert.Contains(AlertName.RedisClientFailover, checkout);
        Assert.All(RuleFiles.Rules(text).Where(r => r.Group == "incident-telemetry.checkout"), r => Assert.Equal("web", RuleFiles.Map(r.Rule, "labels")["team"]));
    }

    [Fact]
    public void Parse_ServiceWithRedisJobs_AlsoGetsTheRedisExporterAlerts()
    {
        var text = RuleRenderer.Render(RulesConfiguration.Parse("services: {sessions: {team: web, redisJob: redis, sentinelJob: sentinel}}\n"), RuleFormat.Prometheus);

        var alerts = RuleFiles.Rules(text).Where(r => r.Group is "incident-telemetry.sessions" or "incident-telemetry.sessions.2").Select(r => RuleFiles.Scalar(r.Rule, "alert")!).ToHashSet();
        Assert.Equal(AlertCatalog.All.Where(a => a.Needs is not (AlertNeeds.AvailabilityObjective or AlertNeeds.LatencyObjective)).Select(a => a.Name).ToHashSet(), alerts);
    }

    [Fact]
    public void Default_EveryJob_GetsTheReviewsThresholdsInOneGroupLabelledWithItsJob()
    {
        var rules = RuleFiles.Rules(RuleRenderer.Render(RulesConfiguration.Default, RuleFormat.Prometheus)).Where(r => RuleFiles.Scalar(r.Rule, "alert") is not null).ToList();

        Assert.All(rules, r => Assert.StartsWith("incident-telemetry.other-services", r.Group, StringComparison.Ordinal));
        Assert.All(rules, r => Assert.Equal("{{ $labels.job }}", RuleFiles.Map(r.Rule, "labels")["service"]));
        Assert.All(rules, r => Assert.Equal("unassigned", RuleFiles.Map(r.Rule, "labels")["team"]));
        Assert.DoesNotContain(rules, r => RuleFiles.Scalar(r.Rule, "alert") is "ServiceMetricsMissing");
        Assert.Contains(rules, r => RuleFiles.Scalar(r.Rule, "alert") is "KubePodRestarted");
        Assert.Contains(rules, r => RuleFiles.Scalar(r.Rule, "alert") is "RedisMemoryHigh");
        var pool = rules.Single(r => RuleFiles.Scalar(r.Rule, "alert") == AlertName.ConnectionPoolUtilisationHigh);
        Assert.Contains("{job=~\".+\"} >= 0.75", RuleFiles.Scalar(pool.Rule, "expr"), StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_OtherServicesOverrides_AndNamedServicesExcludedFromThem()
    {
        const string yaml = """
            otherServices:
              team: sre
              priority: P2
              thresholds:
                serviceP95Seconds: 2
                minRequestRate: 0.5
            services:
              checkout:
                team: web
                thresholds:
                  serviceP95Seconds: 0.3
            """;

        var rules = RuleFiles.Rules(RuleRenderer.Render(RulesConfiguration.Parse(yaml), RuleFormat.Prometheus)).ToList();

        string Expr(string group) => RuleFiles.Scalar(rules.Single(r => r.Group == group && RuleFiles.Scalar(r.Rule, "alert") == AlertName.ServiceLatencyP95High).Rule, "expr")!;
        Assert.Contains("{job!~\"checkout\"}", Expr("incident-telemetry.other-services"), StringComparison.Ordinal);
        Assert.Contains("\n) > 2\n", Expr("incident-telemetry.other-services"), StringComparison.Ordinal);
        Assert.Contains("{job!~\"checkout\"} >= 0.5", Expr("incident-telemetry.other-services"), StringComparison.Ordinal);
        Assert.Contains("{job=~\"checkout\"}", Expr("incident-telemetry.checkout"), StringComparison.Ordinal);
        Assert.Contains("\n) > 0.3\n", Expr("incident-telemetry.checkout"), StringComparison.Ordinal);
        Assert.Contains("{job=~\"checkout\"} >= 0.1", Expr("incident-telemetry.checkout"), StringComparison.Ordinal);
        Assert.Equal("sre", RuleFiles.Map(rules.First(r => r.Group == "incident-telemetry.other-services" && RuleFiles.Scalar(r.Rule, "alert") is not null).Rule, "labels")["team"]);
    }

    [Fact]
    public void Parse_PrometheusRuleMetadata_NameNamespaceAndSelectorLabels()
    {
        const string yaml = "prometheusRule:\n  name: shop-alerts\n  namespace: monitoring\n  labels:\n    release: kube-prometheus-stack\n";

        var manifest = RuleFiles.Load(RuleRenderer.Render(RulesConfiguration.Parse(yaml), RuleFormat.PrometheusOperator));

        var metadata = (YamlDotNet.RepresentationModel.YamlMappingNode)manifest["metadata"];
        Assert.Equal("shop-alerts", RuleFiles.Scalar(metadata, "name"));
        Assert.Equal("monitoring", RuleFiles.Scalar(metadata, "namespace"));
        Assert.Equal("kube-prometheus-stack", RuleFiles.Map(metadata, "labels")["release"]);
        Assert.Equal("incident-telemetry", RuleFiles.Map(metadata, "labels")["app.kubernetes.io/name"]);
    }

    [Fact]
    public void Parse_AggregationLabels_InEveryByAndOnClause()
    {
        var text = RuleRenderer.Render(RulesConfiguration.Parse("aggregationLabels: [cluster, namespace]\n"), RuleFormat.Prometheus);
        var exprs = RuleFiles.Rules(text).Select(r => RuleFiles.Scalar(r.Rule, "expr")!).ToList();

        var clauses = exprs.SelectMany(e => System.Text.RegularExpressions.Regex.Matches(e, @"\b(by|on) \(([^)]*)\)").Select(m => m.Groups[2].Value)).ToList();
        Assert.NotEmpty(clauses);
        Assert.All(clauses, c => Assert.StartsWith("cluster, namespace", c, StringComparison.Ordinal));
        Assert.Contains("sum by (cluster, namespace, job) (rate(http_server_request_duration_seconds_count{job=~\".+\"}[5m]))", text, StringComparison.Ordinal);
    }
}
