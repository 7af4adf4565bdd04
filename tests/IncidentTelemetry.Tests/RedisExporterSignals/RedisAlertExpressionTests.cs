using System.Globalization;
using System.Text.Json;

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
        using var directory = new TempDirectory("it-prom-");
        var port = LoopbackPorts.GetFree();
        var config = directory.Combine("prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
            scrape_configs:
              - job_name: redis-sessions
                static_configs: [{"{"}targets: ['127.0.0.1:{redis.NodeExporterPort}']{"}"}]
              - job_name: redis-sessions-sentinel
                static_configs: [{"{"}targets: ['127.0.0.1:{redis.SentinelExporterPort}']{"}"}]
            """);
        using var prometheus = ExternalProcess.Start("prometheus", [
            $"--config.file={config}",
            $"--storage.tsdb.path={directory.Combine("data")}",
            $"--web.listen-address=127.0.0.1:{port}",
        ]);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
        Task<JsonElement[]> Query(string expression) => QueryAsync(http, expression);

        // Both exporters scraped, the memory ratio computable, and no failover yet.
        var ratio = await Eventually.UntilAsync(() => Query(MemoryRatioExpression), r => r.Length == 1, TimeSpan.FromSeconds(60), "the memory ratio", () => prometheus.Output);
        Assert.InRange(Value(ratio[0]), 0, 0.5);
        await Eventually.UntilAsync(() => Query("redis_sentinel_master_status"), r => r.Length == 1, TimeSpan.FromSeconds(60), "the Sentinel series", () => prometheus.Output);
        Assert.Empty(await Query(FailoverExpression));

        redis.KillPrimary();

        var failover = await Eventually.UntilAsync(() => Query(FailoverExpression), r => r.Length == 1, TimeSpan.FromSeconds(90), "the failover expression to fire", () => redis.Diagnostics + prometheus.Output);
        Assert.Equal(RedisServers.MasterName, failover[0].GetProperty("metric").GetProperty("master_name").GetString());
        Assert.Equal(2, Value(failover[0]));

        var down = await Eventually.UntilAsync(() => Query("redis_up{job=\"redis-sessions\"} == 0"), r => r.Length == 1, TimeSpan.FromSeconds(60), "redis_up == 0 for the dead primary", () => prometheus.Output);
        Assert.Equal($"127.0.0.1:{redis.NodeExporterPort}", down[0].GetProperty("metric").GetProperty("instance").GetString());
    }

    private static double Value(JsonElement sample) =>
        double.Parse(sample.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture);

    private static async Task<JsonElement[]> QueryAsync(HttpClient http, string expression)
    {
        var json = await http.GetStringAsync(new Uri("api/v1/query?query=" + Uri.EscapeDataString(expression), UriKind.Relative));
        using var document = JsonDocument.Parse(json);
        return [.. document.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().Select(e => e.Clone())];
    }
}
