namespace IncidentTelemetry.Tests.RedisExporterSignals;

/// <summary>
/// The expressions docs/signals/redis.md gives the rule authors, evaluated by a real Prometheus that scrapes
/// the real exporters through a real Sentinel failover.
/// </summary>
public sealed class RedisAlertExpressionTests
{
    private const string FailoverExpression =
        "count by (master_name) (count by (master_name, master_address) (count_over_time(redis_sentinel_master_status[10m]))) > 1";

    private const string MemoryRatioExpression = "redis_memory_used_bytes / (redis_memory_max_bytes > 0)";

    [Fact]
    public async Task FailoverExpression_PrimaryKilled_CountsTwoMasterAddresses()
    {
        await using var redis = await RedisServers.StartAsync();
        using var prometheus = await PrometheusServer.StartAsync(
        [
            new ScrapeJob("redis-sessions", [$"127.0.0.1:{redis.NodeExporterPort}"]),
            new ScrapeJob("redis-sessions-sentinel", [$"127.0.0.1:{redis.SentinelExporterPort}"]),
        ]);
        Task<IReadOnlyList<(IReadOnlyDictionary<string, string> Labels, double Value)>> Query(string expression) => prometheus.QueryAsync(expression);

        // Both exporters scraped, the memory ratio computable, and no failover yet.
        var ratio = await Eventually.UntilAsync(() => Query(MemoryRatioExpression), r => r.Count == 1, TimeSpan.FromSeconds(60), "the memory ratio", () => prometheus.Output);
        Assert.InRange(ratio[0].Value, 0, 0.5);
        await Eventually.UntilAsync(() => Query("redis_sentinel_master_status"), r => r.Count == 1, TimeSpan.FromSeconds(60), "the Sentinel series", () => prometheus.Output);
        Assert.Empty(await Query(FailoverExpression));

        redis.KillPrimary();

        var failover = await Eventually.UntilAsync(() => Query(FailoverExpression), r => r.Count == 1, TimeSpan.FromSeconds(90), "the failover expression to fire", () => redis.Diagnostics + prometheus.Output);
        Assert.Equal(RedisServers.MasterName, failover[0].Labels["master_name"]);
        Assert.Equal(2, failover[0].Value);

        var down = await Eventually.UntilAsync(() => Query("redis_up{job=\"redis-sessions\"} == 0"), r => r.Count == 1, TimeSpan.FromSeconds(60), "redis_up == 0 for the dead primary", () => prometheus.Output);
        Assert.Equal($"127.0.0.1:{redis.NodeExporterPort}", down[0].Labels["instance"]);
    }
}
