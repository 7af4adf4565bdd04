namespace IncidentTelemetry.Rules.Tests.Topology;

/// <summary>
/// One global ruler over two clusters, with real servers: two Prometheus servers (external label <c>cluster</c> a
/// and b) remote-write what they scrape into a third that evaluates the rules rendered with
/// <c>aggregationLabels: [cluster]</c>, as Mimir, Thanos Receive or Cortex would.
/// </summary>
public sealed class TwoClusterPrometheusTests
{
    private const string Config = """
        timeScale: 30
        aggregationLabels: [cluster]
        otherServices: false
        services:
          payment-service:
            team: payments
          order-service:
            team: orders
        """;

    [Fact]
    public async Task RemoteWriteIntoOneRuler_JobMissingInClusterB_FiresWithClusterBAndEveryAlertKeepsItsCluster()
    {
        using var dir = new TempDirectory("it-topology-");
        var rules = dir.Combine("rules.yml");
        await File.WriteAllTextAsync(rules, RuleRenderer.Render(RulesConfiguration.Parse(Config), RuleFormat.Prometheus));
        using var global = await PrometheusServer.StartConfiguredAsync(
            _ => "global:\n  evaluation_interval: 1s\nrule_files: {rules}\n",
            [rules],
            "--web.enable-remote-write-receiver");
        var write = new Uri(global.BaseUri, "/api/v1/write");
        var closedPort = LoopbackPorts.GetFree();

        // Each cluster's Prometheus scrapes itself under the services' job names. Cluster a runs both services, one
        // order-service target of it down; cluster b runs order-service only.
        using var a = await PrometheusServer.StartConfiguredAsync(port => Cluster("a", write, port,
            ("payment-service", [$"127.0.0.1:{port}"]), ("order-service", [$"127.0.0.1:{port}", $"127.0.0.1:{closedPort}"])));
        using var b = await PrometheusServer.StartConfiguredAsync(port => Cluster("b", write, port, ("order-service", [$"127.0.0.1:{port}"])));

        var firing = await Eventually.UntilAsync(
            async () => (await global.GetAlertsAsync()).Where(x => x.State == "firing").ToList(),
            alerts => alerts.Count(x => x.Name == "ServiceMetricsMissing") >= 2,
            TimeSpan.FromSeconds(90),
            "ServiceMetricsMissing to fire for payment-service in b and the down target in a",
            () => global.Output + a.Output + b.Output);

        var missing = firing.Where(x => x.Name == "ServiceMetricsMissing").ToList();
        Assert.Contains(missing, x => x.Labels.GetValueOrDefault("cluster") == "b" && x.Labels["service"] == "payment-service" && !x.Labels.ContainsKey("instance"));
        Assert.Contains(missing, x => x.Labels.GetValueOrDefault("cluster") == "a" && x.Labels["service"] == "order-service" && x.Labels.GetValueOrDefault("instance") == $"127.0.0.1:{closedPort}");
        Assert.DoesNotContain(missing, x => x.Labels.GetValueOrDefault("cluster") == "a" && x.Labels["service"] == "payment-service");
        Assert.DoesNotContain(missing, x => x.Labels.GetValueOrDefault("cluster") == "b" && x.Labels["service"] == "order-service");
        Assert.All(firing, x => Assert.True(x.Labels.GetValueOrDefault("cluster") is "a" or "b", $"{x.Name} lost its cluster: {string.Join(", ", x.Labels)}"));
    }

    private static string Cluster(string cluster, Uri write, int port, params (string Job, string[] Targets)[] jobs)
    {
        var scrape = string.Concat(jobs.Select(j =>
            $"  - job_name: '{j.Job}'\n    static_configs:\n      - targets: [{string.Join(", ", j.Targets.Select(t => $"'{t}'"))}]\n"));
        return $"global:\n  scrape_interval: 1s\n  scrape_timeout: 1s\n  external_labels:\n    cluster: '{cluster}'\n" +
            $"remote_write:\n  - url: '{write}'\n    queue_config:\n      batch_send_deadline: 1s\n" +
            $"scrape_configs:\n{scrape}";
    }
}
