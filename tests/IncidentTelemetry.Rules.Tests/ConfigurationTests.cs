namespace IncidentTelemetry.Rules.Tests;

/// <summary>The YAML configuration: what it changes in the render, and errors that name the key.</summary>
public sealed class ConfigurationTests
{
    [Theory]
    [InlineData("colour: blue\n", "colour")]
    [InlineData("services:\n  payment-service:\n    colour: blue\n", "services.payment-service.colour")]
    [InlineData("services:\n  payment-service:\n    thresholds:\n      poolUtilisationWarning: 1.5\n", "services.payment-service.thresholds.poolUtilisationWarning")]
    [InlineData("services:\n  payment-service:\n    thresholds:\n      poolUtilisationWarning: high\n", "services.payment-service.thresholds.poolUtilisationWarning")]
    [InlineData("services:\n  payment-service:\n    thresholds:\n      poolUtilisationWarning: 0.95\n", "services.payment-service.thresholds.poolUtilisationWarning")]
    [InlineData("services:\n  payment-service:\n    thresholds:\n      poolSize: 3\n", "services.payment-service.thresholds.poolSize")]
    [InlineData("services:\n  payment-service:\n    thresholds:\n      trafficSpikeFactor: -2\n", "services.payment-service.thresholds.trafficSpikeFactor")]
    [InlineData("services:\n  payment-service:\n    for:\n      TrafficSpike: 5 minutes\n", "services.payment-service.for.TrafficSpike")]
    [InlineData("services:\n  payment-service:\n    for:\n      TrafficSpikes: 5m\n", "services.payment-service.for.TrafficSpikes")]
    [InlineData("services:\n  payment-service:\n    alerts: [TrafficSpike, NoSuchAlert]\n", "services.payment-service.alerts[1]")]
    [InlineData("services:\n  payment-service:\n    job: \"payment-(\"\n", "services.payment-service.job")]
    [InlineData("services:\n  payment-service:\n    labels:\n      team: other\n", "services.payment-service.labels.team")]
    [InlineData("services:\n  payment-service:\n    labels:\n      bad-name: x\n", "services.payment-service.labels.bad-name")]
    [InlineData("services:\n  checkout-service:\n    job: checkout\n", "services.checkout-service.team")]
    [InlineData("services:\n  checkout-service:\n    team: payments\n    alerts: [RedisMemoryHigh]\n", "services.checkout-service.redisJob")]
    [InlineData("services:\n  user-service:\n    alerts: [RedisSentinelFailover]\n    sentinelJob: \"\"\n", "services.user-service.sentinelJob")]
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
        Assert.DoesNotContain("alert: RedisMemoryHigh", text, StringComparison.Ordinal);
        Assert.Contains("job_instance_pool:db_client_connection_usage:ratio_max1m{job=~\"payments|payments-canary\"} > 0.6", text, StringComparison.Ordinal);
        Assert.Contains("for: 5m", text, StringComparison.Ordinal); // 10m at time scale 2
        Assert.Contains("priority: \"P0\"", text, StringComparison.Ordinal);
        Assert.Contains("cluster: \"prod-eu\"", text, StringComparison.Ordinal);
        Assert.Contains("tier: \"checkout\"", text, StringComparison.Ordinal);
        Assert.Contains("runbook_url: \"https://runbooks.example.com/alerts/ConnectionPoolUtilisationHigh.md\"", text, StringComparison.Ordinal);
        Assert.Contains("job=~\"payment-service|checkout-service\"", text.Replace("payments|payments-canary", "payment-service", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public void WithServices_UserService_BringsItsRedisJobs()
    {
        var text = RuleRenderer.Render(RulesConfiguration.Default.WithServices("user-service").WithTimeScale(30), RuleFormat.Prometheus);

        Assert.Contains("redis_memory_used_bytes{job=~\"redis-sessions\"}", text, StringComparison.Ordinal);
        Assert.Contains("redis_sentinel_master_status{job=~\"redis-sentinel\"}", text, StringComparison.Ordinal);
        Assert.Contains("up{job=~\"user-service\"}", text, StringComparison.Ordinal);
        Assert.DoesNotContain("payment-service", text, StringComparison.Ordinal);
    }

    [Fact]
    public void WithServices_NotConfigured_ThrowsNamingTheService()
    {
        var error = Assert.Throws<RulesConfigurationException>(() => RulesConfiguration.Default.WithServices("billing-service"));

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
        _ = RulesConfiguration.Default.WithServices("payment-service").WithTimeScale(30).WithRunbookBaseUrl("https://example.com/rb");

        Assert.Equal(before, RuleRenderer.Render(RulesConfiguration.Default, RuleFormat.Prometheus));
    }
}
