namespace IncidentTelemetry.Rules.Tests.Configuration;

/// <summary>The <c>routeP95Seconds</c> key: per-route latency thresholds, slow routes and excluded routes.</summary>
public sealed class RouteConfigurationTests
{
    private const string Gateway = "services:\n  api-gateway:\n    team: platform\n    routeP95Seconds:\n";

    [Fact]
    public void Parse_RouteP95Seconds_ReadsSecondsSlowAndExclude()
    {
        var service = RulesConfiguration.Parse(Gateway + "      /reports/{id}: 5\n      /api/checkout: slow\n      /admin/export: exclude\n").Services[0];

        Assert.Equal(5, service.RouteP95Seconds["/reports/{id}"]);
        Assert.Equal(["/api/checkout"], service.SlowRoutes);
        Assert.Equal(["/admin/export"], service.ExcludedRoutes);
    }

    [Theory]
    [InlineData("      /reports: 0\n", "services.api-gateway.routeP95Seconds./reports")]
    [InlineData("      /reports: fast\n", "services.api-gateway.routeP95Seconds./reports")]
    [InlineData("      - /reports\n", "services.api-gateway.routeP95Seconds")]
    public void Parse_BadRouteThreshold_ErrorNamesTheKey(string entries, string key)
    {
        var error = Assert.Throws<RulesConfigurationException>(() => RulesConfiguration.Parse(Gateway + entries));

        Assert.Equal(key, error.Key);
    }

    [Fact]
    public void Render_SlowAndExcludedRoutes_OwnThresholdsAndLeftOutOfTheServiceP95()
    {
        var yaml = RuleRenderer.Render(RulesConfiguration.Parse(Gateway + "      /api/checkout: slow\n      /admin/export: exclude\n"), RuleFormat.Prometheus);

        Assert.Contains("http_route=\"/api/checkout\"} > 2.5", yaml, StringComparison.Ordinal);
        Assert.Contains("http_route!~\"/api/checkout|/admin/export\"} > 0.5", yaml, StringComparison.Ordinal);
        Assert.Contains("http_server_request_duration_seconds_bucket{job=~\"api-gateway\", http_route!~\"/api/checkout|/admin/export\"}", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("http_route=\"/admin/export\"", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_RouteWithRegexCharacters_IsEscapedForTheExclusion()
    {
        var yaml = RuleRenderer.Render(RulesConfiguration.Parse(Gateway + "      \"/catalog/items/{id:int}\": 1.5\n"), RuleFormat.Prometheus);

        Assert.Contains("http_route!~\"/catalog/items/\\\\{id:int\\\\}\"", yaml, StringComparison.Ordinal);
        Assert.Contains("{{ if eq $labels.http_route \\\"/catalog/items/{id:int}\\\" }}1.5s{{ else }}500ms{{ end }}", yaml, StringComparison.Ordinal);
    }
}
