using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests.Definitions;

/// <summary>
/// The bundled file (no configuration) watches whatever job exposes redis_exporter's series and every container
/// kube-state-metrics reports, with the other services' defaults (service = the job or container, team unassigned,
/// P3); a named service's exporter jobs and container stay its own.
/// </summary>
public sealed class BundledFileTests
{
    private static readonly TimeSpan Scrape = TimeSpan.FromSeconds(30);

    private const string Cache = "job=\"redis-cache\", instance=\"redis-1:9121\"";

    [Fact]
    public async Task PromtoolTestRules_BundledFile_RedisAlertsForAnyExporterJob()
    {
        var tests = new[]
        {
            new RuleTest("RedisMemoryHigh on an unnamed exporter job: 80% of maxmemory", Scrape,
                [($"redis_memory_used_bytes{{{Cache}}}", "80x40"), ($"redis_memory_max_bytes{{{Cache}}}", "100x40")],
                [
                    new(TimeSpan.FromMinutes(4), "RedisMemoryHigh", []),
                    new(TimeSpan.FromMinutes(10), "RedisMemoryHigh", [Other("RedisMemoryHigh", "warning", "redis-cache", Cache,
                        "redis-cache: Redis memory above 75% of maxmemory",
                        "Redis redis-1:9121 uses 80% of its maxmemory (threshold 75%). At maxmemory it evicts sessions or refuses writes.")]),
                ]),
            new RuleTest("RedisMemoryHigh silent at 70% of maxmemory", Scrape,
                [($"redis_memory_used_bytes{{{Cache}}}", "70x40"), ($"redis_memory_max_bytes{{{Cache}}}", "100x40")],
                [new(TimeSpan.FromMinutes(10), "RedisMemoryHigh", [])]),
            new RuleTest("RedisSentinelFailover on an unnamed exporter job", Scrape,
                [
                    ("redis_sentinel_master_status{job=\"sentinels\", instance=\"s-1:9121\", master_name=\"cache\", master_address=\"10.0.0.1:6379\"}", "1x10"),
                    ("redis_sentinel_master_status{job=\"sentinels\", instance=\"s-1:9121\", master_name=\"cache\", master_address=\"10.0.0.2:6379\"}", "_x10 1x10"),
                ],
                [
                    new(TimeSpan.FromMinutes(2), "RedisSentinelFailover", []),
                    new(TimeSpan.FromMinutes(6), "RedisSentinelFailover", [Other("RedisSentinelFailover", "critical", "sentinels", "job=\"sentinels\", master_name=\"cache\"",
                        "sentinels: Redis Sentinel failed over cache",
                        "Sentinel reported 2 different addresses for master cache in the last 10m: it failed over. Sessions written to the old primary may be lost.")]),
                ]),
            new RuleTest("RedisExporterDown: an exporter target that served redis_up fails; a down application target does not count", Scrape,
                [
                    ($"redis_up{{{Cache}}}", "1x6"),
                    ($"up{{{Cache}}}", "1x6 0x20"),
                    ("up{job=\"checkout\", instance=\"checkout-1:8080\"}", "0x26"),
                ],
                [
                    new(TimeSpan.FromMinutes(2), "RedisExporterDown", []),
                    new(TimeSpan.FromMinutes(8), "RedisExporterDown", [Other("RedisExporterDown", "warning", "redis-cache", Cache,
                        "redis-cache: a Redis node or Sentinel is not monitored",
                        "redis_exporter target redis-1:9121 (job redis-cache) cannot be scraped or cannot reach its Redis or Sentinel: the Redis alerts are blind there, or the node is down.")]),
                ]),
            new RuleTest("KubePodRestarted for any container: service is the container", Scrape,
                [("kube_pod_container_status_restarts_total{job=\"kube-state-metrics\", namespace=\"shop\", pod=\"checkout-1\", container=\"checkout\"}", "0x10 1x30")],
                [
                    new(TimeSpan.FromMinutes(2), "KubePodRestarted", []),
                    new(TimeSpan.FromMinutes(10), "KubePodRestarted", [Other("KubePodRestarted", "warning", "checkout", "namespace=\"shop\", pod=\"checkout-1\", container=\"checkout\", job=\"checkout\"",
                        "checkout: container restarted (kube-state-metrics)",
                        "Container checkout of pod shop/checkout-1 restarted 1 time(s) in the last 15m. Check the last termination reason (OOMKilled?).")]),
                ]),
        };
        using var dir = new TempDirectory("it-rules-");
        var (exit, output) = await RuleTestFile.RunAsync(dir.Path, RulesConfiguration.Default, Scrape, tests);

        Assert.True(exit == 0, output);
    }

    [Fact]
    public async Task PromtoolTestRules_NamedServiceOwnsItsExporterJob_OtherServicesOnlyTheRest()
    {
        var configuration = RulesConfiguration.Parse("services: {user-service: {team: identity, redisJob: redis-sessions, alerts: [RedisMemoryHigh]}}\n");
        const string sessions = "job=\"redis-sessions\", instance=\"redis-2:9121\"";
        var test = new RuleTest("two exporter jobs at 80%: the named one alerts for user-service, the other for its job", Scrape,
            [
                ($"redis_memory_used_bytes{{{Cache}}}", "80x40"), ($"redis_memory_max_bytes{{{Cache}}}", "100x40"),
                ($"redis_memory_used_bytes{{{sessions}}}", "80x40"), ($"redis_memory_max_bytes{{{sessions}}}", "100x40"),
            ],
            [
                new(TimeSpan.FromMinutes(10), "RedisMemoryHigh",
                [
                    Other("RedisMemoryHigh", "warning", "redis-cache", Cache, "redis-cache: Redis memory above 75% of maxmemory",
                        "Redis redis-1:9121 uses 80% of its maxmemory (threshold 75%). At maxmemory it evicts sessions or refuses writes."),
                    Alert("RedisMemoryHigh", "warning", "user-service", "identity", sessions, "user-service: Redis memory above 75% of maxmemory",
                        "Redis redis-2:9121 uses 80% of its maxmemory (threshold 75%). At maxmemory it evicts sessions or refuses writes."),
                ]),
            ]);
        using var dir = new TempDirectory("it-rules-");
        var (exit, output) = await RuleTestFile.RunAsync(dir.Path, configuration, Scrape, [test]);

        Assert.True(exit == 0, output);
    }

    private static ExpectedAlert Other(string alert, string severity, string service, string labels, string summary, string description)
        => Alert(alert, severity, service, "unassigned", labels, summary, description);

    private static ExpectedAlert Alert(string alert, string severity, string service, string team, string labels, string summary, string description)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal) { ["severity"] = severity, ["team"] = team, ["service"] = service, ["priority"] = "P3" };
        foreach (var pair in labels.Split(", "))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            all[pair[..eq]] = pair[(eq + 1)..].Trim('"');
        }

        return new ExpectedAlert(all, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = summary,
            ["description"] = description,
            ["runbook_url"] = RulesConfiguration.DefaultRunbookBaseUrl + alert + ".md",
        });
    }
}
