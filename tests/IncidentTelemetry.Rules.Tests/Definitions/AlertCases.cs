using IncidentTelemetry.Rules.Tests.Infrastructure;
using static IncidentTelemetry.Rules.Tests.Infrastructure.Series;

namespace IncidentTelemetry.Rules.Tests.Definitions;

/// <summary>
/// For every alert of the default configuration (scale 1): a named case where it fires once its <c>for</c> has
/// passed, with every label and annotation, and cases just under the threshold or before <c>for</c> ends where it
/// stays silent. Severity, team and priority are written out here, from the incident reviews, not read from the code.
/// Cases written at one sample a minute are easier to read; promtool gets them re-spaced at 30 s
/// (<see cref="RuleTestFile.RunAsync"/>), as a real scrape takes them and as Prometheus 3's left-open windows need.
/// </summary>
internal static class AlertCases
{
    private static readonly TimeSpan Minute = TimeSpan.FromMinutes(1);
    private static readonly TimeSpan Quarter = TimeSpan.FromSeconds(15);

    private static readonly Dictionary<string, (string Team, string Priority)> Owners = new(StringComparer.Ordinal)
    {
        ["payment-service"] = ("payments", "P1"),
        ["order-service"] = ("orders", "P2"),
        ["inventory-service"] = ("orders", "P2"),
        ["api-gateway"] = ("platform", "P2"),
        ["user-service"] = ("identity", "P1"),
    };

    private static readonly string[] OtherServices = ["order-service", "inventory-service", "api-gateway", "user-service"];

    private const string Payment = "job=\"payment-service\", instance=\"payment:8080\"";
    private const string PaymentPool = Payment + ", db_client_connection_pool_name=\"payments\"";
    private const string Order = "job=\"order-service\", instance=\"order:8080\"";
    private const string Gateway = "job=\"api-gateway\", instance=\"gateway:8080\"";
    private const string User = "job=\"user-service\", instance=\"user:8080\"";
    private const string Inventory = "job=\"inventory-service\", instance=\"inventory:8080\"";
    private const string RedisNode = "job=\"redis-sessions\", instance=\"redis-1:9121\"";
    private const string Sentinel = "job=\"redis-sentinel\", instance=\"sentinel-1:9121\"";

    public static readonly IReadOnlyDictionary<string, Func<IEnumerable<RuleTest>>> ByAlert = new Dictionary<string, Func<IEnumerable<RuleTest>>>(StringComparer.Ordinal)
    {
        ["ConnectionPoolExhaustionPredicted"] = QualityCases.PoolExhaustionPredicted,
        ["ConnectionPoolUtilisationHigh"] = PoolUtilisationHigh,
        ["ConnectionPoolUtilisationCritical"] = PoolUtilisationCritical,
        ["ConnectionPoolQueueing"] = PoolQueueing,
        ["ConnectionPoolWaitHigh"] = PoolWaitHigh,
        ["ConnectionPoolTimeouts"] = PoolTimeouts,
        ["TrafficSpike"] = TrafficSpike,
        ["MemoryGrowthTrend"] = MemoryGrowthTrend,
        ["MemoryNearLimit"] = MemoryNearLimit,
        ["ServiceRestarted"] = ServiceRestarted,
        ["KubePodRestarted"] = KubePodRestarted,
        ["ServiceMetricsMissing"] = ServiceMetricsMissing,
        ["ServiceLatencyP95High"] = GatewayLatency,
        ["ServiceLatencyP95Rising"] = QualityCases.LatencyRising,
        ["EndpointLatencyP95High"] = EndpointLatency,
        ["RequestRateAnomaly"] = RequestRateAnomaly,
        ["RedisMemoryHigh"] = RedisMemoryHigh,
        ["RedisEvictionsHigh"] = RedisEvictionsHigh,
        ["RedisSentinelFailover"] = SentinelFailover,
        ["RedisSentinelQuorumLost"] = SentinelQuorumLost,
        ["RedisExporterDown"] = RedisExporterDown,
        ["LoginRateSpike"] = LoginRateSpike,
        ["AvailabilityBudgetBurnFast"] = ErrorBudgetCases.AvailabilityFast,
        ["AvailabilityBudgetBurnSlow"] = ErrorBudgetCases.AvailabilitySlow,
        ["LatencyBudgetBurnFast"] = ErrorBudgetCases.LatencyFast,
        ["LatencyBudgetBurnSlow"] = ErrorBudgetCases.LatencySlow,
        ["DatabaseQueryLatencyP95High"] = QueryLatency,
        ["DependencyLatencyP95High"] = DependencyLatency,
        ["RedisClientFailover"] = RedisClientFailover,
    };

    private static IEnumerable<RuleTest> PoolUtilisationHigh()
    {
        const string alert = "ConnectionPoolUtilisationHigh";
        var fired = Fired(alert, "warning", "payment-service", PaymentPool,
            "payment-service: connection pool payments at 75% in use or more",
            "Pool payments on payment:8080 had 80% of its connections in use at its busiest in each 1m (warning at 75%). Requests will soon queue for a connection.");
        yield return new("ConnectionPoolUtilisationHigh fires: 8 of 10 connections in use for 5m", Quarter, Pool(8, 10, 60),
            [new(Min(4), alert, []), new(Min(10), alert, [fired])]);
        yield return new("ConnectionPoolUtilisationHigh fires at the value: 15 of 20 connections (75%)", Quarter, Pool(15, 20, 60),
            [new(Min(10), alert, [Fired(alert, "warning", "payment-service", PaymentPool, "payment-service: connection pool payments at 75% in use or more",
                "Pool payments on payment:8080 had 75% of its connections in use at its busiest in each 1m (warning at 75%). Requests will soon queue for a connection.")])]);
        yield return new("ConnectionPoolUtilisationHigh silent: 7 of 10 connections (70%)", Quarter, Pool(7, 10, 60), [new(Min(10), alert, [])]);
    }

    private static IEnumerable<RuleTest> PoolUtilisationCritical()
    {
        const string alert = "ConnectionPoolUtilisationCritical";
        var fired = Fired(alert, "critical", "payment-service", PaymentPool,
            "payment-service: connection pool payments nearly exhausted",
            "Pool payments on payment:8080 had 100% of its connections in use at its busiest in each 1m (critical at 90%). Requests are queueing or about to time out.");
        yield return new("ConnectionPoolUtilisationCritical fires: all 10 connections in use for 2m", Quarter, Pool(10, 10, 60),
            [new(Min(1), alert, []), new(Min(5), alert, [fired])]);
        yield return new("ConnectionPoolUtilisationCritical fires at the value: 45 of 50 connections (90%)", Quarter, Pool(45, 50, 60),
            [new(Min(5), alert, [Fired(alert, "critical", "payment-service", PaymentPool, "payment-service: connection pool payments nearly exhausted",
                "Pool payments on payment:8080 had 90% of its connections in use at its busiest in each 1m (critical at 90%). Requests are queueing or about to time out.")])]);
        yield return new("ConnectionPoolUtilisationCritical silent: 44 of 50 connections (88%)", Quarter, Pool(44, 50, 60), [new(Min(10), alert, [])]);
    }

    private static IEnumerable<RuleTest> PoolQueueing()
    {
        const string alert = "ConnectionPoolQueueing";
        yield return new("ConnectionPoolQueueing fires: 2 requests pending at every scrape", Quarter,
            [($"db_client_connection_pending_requests{{{PaymentPool}}}", Gauge((2, 60))), .. Pool(10, 10, 60)],
            [
                new(Min(1), alert, []),
                new(Min(5), alert, [Fired(alert, "warning", "payment-service", PaymentPool, "payment-service: requests queue for a database connection",
                    "Requests wait for a connection from pool payments on payment:8080: 2 (requests pending at the busiest scrape of 1m, or the share of acquisitions that waited over 10ms, above 10%) while 75% or more of its connections are in use.")]),
            ]);

        // The gauge reads 0 at every scrape, but 40 % of the acquisitions waited longer than 10 ms in between.
        yield return new("ConnectionPoolQueueing fires: pending reads 0 at scrapes, 40% of acquisitions waited over 10ms", Quarter,
            [
                ($"db_client_connection_pending_requests{{{PaymentPool}}}", Gauge((0, 60))),
                .. WaitHistogram(perSecond: 10, waitedShare: 0.4, samples: 60),
                .. Pool(9, 10, 60),
            ],
            [
                new(Min(5), alert, [Fired(alert, "warning", "payment-service", PaymentPool, "payment-service: requests queue for a database connection",
                    "Requests wait for a connection from pool payments on payment:8080: 400m (requests pending at the busiest scrape of 1m, or the share of acquisitions that waited over 10ms, above 10%) while 75% or more of its connections are in use.")]),
            ]);
        yield return new("ConnectionPoolQueueing silent: nothing pending, 5% of acquisitions waited over 10ms", Quarter,
            [($"db_client_connection_pending_requests{{{PaymentPool}}}", Gauge((0, 60))), .. WaitHistogram(perSecond: 10, waitedShare: 0.05, samples: 60), .. Pool(9, 10, 60)],
            [new(Min(10), alert, [])]);

        // A service's first seconds: the pool opens its connections and requests wait for them, but it is not full.
        yield return new("ConnectionPoolQueueing silent: requests wait while the pool opens connections, 3 of 10 in use", Quarter,
            [($"db_client_connection_pending_requests{{{PaymentPool}}}", Gauge((2, 60))), .. WaitHistogram(perSecond: 10, waitedShare: 0.4, samples: 60), .. Pool(3, 10, 60)],
            [new(Min(10), alert, [])]);
    }

    private static IEnumerable<RuleTest> PoolWaitHigh()
    {
        const string alert = "ConnectionPoolWaitHigh";
        const string pool = Inventory + ", db_client_connection_pool_name=\"inventory\"";
        yield return new("ConnectionPoolWaitHigh fires: inventory-service waits 200ms on average for 5m", Minute,
            [.. Histogram("db_client_connection_wait_time_seconds", pool, 0.1, perSecond: 10, samples: 20, Minute, sumPerObservation: 0.2)],
            [
                new(Min(4), alert, []),
                new(Min(15), alert, [Fired(alert, "warning", "inventory-service", pool, "inventory-service: average wait for a database connection above 100ms",
                    "Acquiring a connection from pool inventory on inventory:8080 took 200ms on average over 1m (threshold 100ms). The pool is too small for the load or connections are held too long.")]),
            ]);
        yield return new("ConnectionPoolWaitHigh silent: 50ms average wait", Minute,
            [.. Histogram("db_client_connection_wait_time_seconds", pool, 0.025, perSecond: 10, samples: 20, Minute, sumPerObservation: 0.05)],
            [new(Min(15), alert, [])]);
        yield return new("ConnectionPoolWaitHigh silent: 200ms waits but only 0.05 acquisitions/s (traffic floor 0.1/s)", Minute,
            [.. Histogram("db_client_connection_wait_time_seconds", pool, 0.1, perSecond: 0.05, samples: 20, Minute, sumPerObservation: 0.2)],
            [new(Min(15), alert, [])]);
    }

    private static IEnumerable<RuleTest> PoolTimeouts()
    {
        const string alert = "ConnectionPoolTimeouts";
        yield return new("ConnectionPoolTimeouts fires: one timeout a minute", Minute,
            [($"db_client_connection_timeouts_total{{{PaymentPool}}}", Counter(Minute, (1.0 / 60, 15)))],
            [new(Min(10), alert, [Fired(alert, "critical", "payment-service", PaymentPool, "payment-service: requests time out waiting for a database connection",
                "5 requests timed out waiting for a connection from pool payments on payment:8080 in the last 5m. Those requests failed.")])]);
        yield return new("ConnectionPoolTimeouts silent: counter stays at 0", Minute,
            [($"db_client_connection_timeouts_total{{{PaymentPool}}}", Counter(Minute, (0, 15)))], [new(Min(10), alert, [])]);
    }

    private static IEnumerable<RuleTest> TrafficSpike()
    {
        const string alert = "TrafficSpike";
        var fired = Fired(alert, "warning", "payment-service", Payment.Split(',')[0],
            "payment-service: traffic above 2x its normal volume",
            "payment-service serves 3 times its normal request rate over 5m (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last 1h20m; threshold 2x). Check that its connection pool and dependencies can take it.");
        yield return new("TrafficSpike fires: checkout traffic triples after 90m at 25/s", Minute,
            [Requests(Payment, "/checkout", Minute, (25, 90), (75, 30))],
            [new(Min(93), alert, []), new(Min(100), alert, [fired])]);
        yield return new("TrafficSpike silent: traffic up 1.8x", Minute,
            [Requests(Payment, "/checkout", Minute, (25, 90), (45, 30))], [new(Min(100), alert, []), new(Min(115), alert, [])]);
        yield return new("TrafficSpike silent: a quiet service goes from 0.01/s to 0.05/s (traffic floor 0.1/s)", Minute,
            [Requests(Payment, "/checkout", Minute, (0.01, 90), (0.05, 30))], [new(Min(100), alert, [])]);
    }

    private static IEnumerable<RuleTest> MemoryGrowthTrend()
    {
        // The w50-2 leak: 100 MB an hour towards a 2 GB limit, from half the limit, on an instance up for an hour.
        const string alert = "MemoryGrowthTrend";
        const string limit = "2e9x120";
        yield return new("MemoryGrowthTrend fires: 100MB an hour from half of a 2GB limit", Minute,
            [
                ($"dotnet_process_memory_working_set_bytes{{{Order}}}", Series.Values(Enumerable.Range(0, 121).Select(i => (double?)(1e9 + (i * 100e6 / 60))))),
                ($"incident_process_memory_limit_bytes{{{Order}, incident_memory_limit_source=\"cgroup\"}}", limit),
                ($"process_uptime_seconds{{{Order}}}", "3600+60x120"),
            ],
            [
                new(Min(5), alert, []),
                new(Min(40), alert, [Fired(alert, "warning", "order-service", Order, "order-service: memory grows fast enough to reach its limit within 24h",
                    "The working set of order:8080 has grown for 20m at a rate that reaches its memory limit in 9h 20m 0s (threshold 24h). A leak ends in an out-of-memory kill.")]),
            ]);
        yield return new("MemoryGrowthTrend silent: flat 1GB against 2GB", Minute,
            [($"dotnet_process_memory_working_set_bytes{{{Order}}}", "1e9x120"), ($"incident_process_memory_limit_bytes{{{Order}, incident_memory_limit_source=\"cgroup\"}}", limit), ($"process_uptime_seconds{{{Order}}}", "3600+60x120")],
            [new(Min(60), alert, [])]);
        yield return new("MemoryGrowthTrend silent: 20MB an hour would take 50h to reach 2GB", Minute,
            [
                ($"dotnet_process_memory_working_set_bytes{{{Order}}}", Series.Values(Enumerable.Range(0, 121).Select(i => (double?)(1e9 + (i * 20e6 / 60))))),
                ($"incident_process_memory_limit_bytes{{{Order}, incident_memory_limit_source=\"cgroup\"}}", limit),
                ($"process_uptime_seconds{{{Order}}}", "3600+60x120"),
            ],
            [new(Min(60), alert, [])]);
    }

    private static IEnumerable<RuleTest> MemoryNearLimit()
    {
        const string alert = "MemoryNearLimit";
        yield return new("MemoryNearLimit fires: 900MB of a 1GB limit", Minute,
            [($"dotnet_process_memory_working_set_bytes{{{Order}}}", "900e6x20"), ($"incident_process_memory_limit_bytes{{{Order}, incident_memory_limit_source=\"cgroup\"}}", "1e9x20")],
            [
                new(Min(1), alert, []),
                new(Min(5), alert, [Fired(alert, "critical", "order-service", Order, "order-service: memory at 80% of its limit or more",
                    "The working set of order:8080 is 90% of its memory limit (threshold 80%). The container will be OOM-killed when it reaches it.")]),
            ]);
        yield return new("MemoryNearLimit fires at the value: 800MB of a 1GB limit", Minute,
            [($"dotnet_process_memory_working_set_bytes{{{Order}}}", "800e6x20"), ($"incident_process_memory_limit_bytes{{{Order}, incident_memory_limit_source=\"cgroup\"}}", "1e9x20")],
            [new(Min(5), alert, [Fired(alert, "critical", "order-service", Order, "order-service: memory at 80% of its limit or more",
                "The working set of order:8080 is 80% of its memory limit (threshold 80%). The container will be OOM-killed when it reaches it.")])]);
        yield return new("MemoryNearLimit silent: 790MB of 1GB", Minute,
            [($"dotnet_process_memory_working_set_bytes{{{Order}}}", "790e6x20"), ($"incident_process_memory_limit_bytes{{{Order}, incident_memory_limit_source=\"cgroup\"}}", "1e9x20")],
            [new(Min(10), alert, [])]);
    }

    private static IEnumerable<RuleTest> ServiceRestarted()
    {
        const string alert = "ServiceRestarted";
        yield return new("ServiceRestarted fires: order-service uptime goes back to zero", Minute,
            [($"process_uptime_seconds{{{Order}}}", "0+60x10 20+60x10")],
            [
                new(Min(9), alert, []),
                new(Min(12), alert, [Fired(alert, "warning", "order-service", Order, "order-service restarted",
                    "order:8080 restarted 1 time(s) in the last 15m (its process uptime went back to zero). Was it OOM-killed or crashing?")]),
            ]);
        yield return new("ServiceRestarted silent: uptime keeps growing", Minute, [($"process_uptime_seconds{{{Order}}}", "0+60x30")], [new(Min(25), alert, [])]);
    }

    private static IEnumerable<RuleTest> KubePodRestarted()
    {
        const string alert = "KubePodRestarted";
        const string pod = "job=\"kube-state-metrics\", namespace=\"shop\", pod=\"order-service-7d9f\", container=\"order-service\"";
        yield return new("KubePodRestarted fires: kube-state-metrics counts a restart of the order-service container", Minute,
            [($"kube_pod_container_status_restarts_total{{{pod}}}", "0x5 1x15")],
            [
                new(Min(4), alert, []),
                new(Min(10), alert, [Fired(alert, "warning", "order-service", "namespace=\"shop\", pod=\"order-service-7d9f\", container=\"order-service\"",
                    "order-service: container restarted (kube-state-metrics)",
                    "Container order-service of pod shop/order-service-7d9f restarted 1 time(s) in the last 15m. Check the last termination reason (OOMKilled?).")]),
            ]);
        yield return new("KubePodRestarted silent: restart count unchanged", Minute, [($"kube_pod_container_status_restarts_total{{{pod}}}", "3x20")], [new(Min(15), alert, [])]);
    }

    private static IEnumerable<RuleTest> ServiceMetricsMissing()
    {
        const string alert = "ServiceMetricsMissing";
        var others = OtherServices.Select(j => ($"up{{job=\"{j}\", instance=\"{j}:8080\"}}", "1x20")).ToList();
        yield return new("ServiceMetricsMissing fires: payment-service scrape fails", Minute,
            [.. others, ($"up{{{Payment}}}", "1x3 0x17")],
            [
                new(Min(6), alert, []),
                new(Min(10), alert, [Fired(alert, "warning", "payment-service", Payment, "payment-service: metrics missing",
                    "Prometheus cannot scrape payment:8080 of payment-service: every other alert of the service is blind there.")]),
            ]);
        yield return new("ServiceMetricsMissing fires: no target at all for payment-service", Minute,
            others,
            [new(Min(10), alert, [Fired(alert, "warning", "payment-service", "", "payment-service: metrics missing",
                "Prometheus has no target for payment-service (job payment-service): every other alert of the service is blind there.")])]);
        yield return new("ServiceMetricsMissing silent: every service is up", Minute, [.. others, ($"up{{{Payment}}}", "1x20")], [new(Min(10), alert, [])]);
    }

    private static IEnumerable<RuleTest> GatewayLatency()
    {
        const string alert = "ServiceLatencyP95High";
        const string labels = Gateway + ", http_route=\"/catalog/items/{id:int}\", http_request_method=\"GET\", otel_scope_name=\"Microsoft.AspNetCore.Hosting\"";
        yield return new("ServiceLatencyP95High fires: requests take 0.5 to 0.75s", Minute,
            [.. Histogram("http_server_request_duration_seconds", labels, 0.5, perSecond: 10, samples: 20, Minute)],
            [
                new(Min(4), alert, []),
                new(Min(12), alert, [Fired(alert, "warning", "api-gateway", "job=\"api-gateway\"", "api-gateway: P95 latency above 500ms",
                    "95 % of the requests to api-gateway took up to 737.5ms over 1m (threshold 500ms).")]),
            ]);
        yield return new("ServiceLatencyP95High silent: requests take 0.25 to 0.5s", Minute,
            [.. Histogram("http_server_request_duration_seconds", labels, 0.25, perSecond: 10, samples: 20, Minute)], [new(Min(12), alert, [])]);
        yield return new("ServiceLatencyP95High silent: slow but 0.05 requests/s (traffic floor 0.1/s)", Minute,
            [.. Histogram("http_server_request_duration_seconds", labels, 0.5, perSecond: 0.05, samples: 20, Minute)], [new(Min(12), alert, [])]);
    }

    private static IEnumerable<RuleTest> EndpointLatency()
    {
        const string alert = "EndpointLatencyP95High";
        const string items = Gateway + ", http_route=\"/catalog/items/{id:int}\", http_request_method=\"GET\", otel_scope_name=\"Microsoft.AspNetCore.Hosting\"";
        const string search = Gateway + ", http_route=\"/catalog/search\", http_request_method=\"GET\", otel_scope_name=\"Microsoft.AspNetCore.Hosting\"";
        yield return new("EndpointLatencyP95High fires for the slow route only", Minute,
            [
                .. Histogram("http_server_request_duration_seconds", items, 0.5, perSecond: 10, samples: 20, Minute),
                .. Histogram("http_server_request_duration_seconds", search, 0.01, perSecond: 10, samples: 20, Minute),
            ],
            [
                new(Min(4), alert, []),
                new(Min(12), alert, [Fired(alert, "warning", "api-gateway", "job=\"api-gateway\", http_route=\"/catalog/items/{id:int}\"", "api-gateway: /catalog/items/{id:int} P95 latency above 500ms",
                    "95 % of the requests to /catalog/items/{id:int} on api-gateway took up to 737.5ms over 1m (threshold 500ms).")]),
            ]);
        yield return new("EndpointLatencyP95High silent: 0.25 to 0.5s", Minute,
            [.. Histogram("http_server_request_duration_seconds", items, 0.25, perSecond: 10, samples: 20, Minute)], [new(Min(12), alert, [])]);
    }

    private static IEnumerable<RuleTest> RequestRateAnomaly()
    {
        const string alert = "RequestRateAnomaly";
        yield return new("RequestRateAnomaly fires: a surge from 20/s to 60/s", Minute,
            [Requests(Gateway, "/catalog/items/{id:int}", Minute, (20, 90), (60, 30))],
            [
                new(Min(93), alert, []),
                new(Min(100), alert, [Fired(alert, "warning", "api-gateway", "job=\"api-gateway\"", "api-gateway: request rate far from normal",
                    "The request rate of api-gateway is 10 standard deviations from its normal (the same hour last week; in the first week, the nearer of the same hour yesterday and the median of the last 1h20m; threshold ±3). A surge (campaign, retry storm) or a drop (clients cannot reach it).")]),
            ]);
        yield return new("RequestRateAnomaly fires: a drop from 20/s to 4/s", Minute,
            [Requests(Gateway, "/catalog/items/{id:int}", Minute, (20, 90), (4, 30))],
            [new(Min(100), alert, [Fired(alert, "warning", "api-gateway", "job=\"api-gateway\"", "api-gateway: request rate far from normal",
                "The request rate of api-gateway is -4 standard deviations from its normal (the same hour last week; in the first week, the nearer of the same hour yesterday and the median of the last 1h20m; threshold ±3). A surge (campaign, retry storm) or a drop (clients cannot reach it).")])]);
        yield return new("RequestRateAnomaly silent: 20/s to 30/s", Minute,
            [Requests(Gateway, "/catalog/items/{id:int}", Minute, (20, 90), (30, 30))], [new(Min(100), alert, []), new(Min(115), alert, [])]);
    }

    private static IEnumerable<RuleTest> RedisMemoryHigh()
    {
        const string alert = "RedisMemoryHigh";
        yield return new("RedisMemoryHigh fires: 13MB of 16MB maxmemory", Minute,
            [($"redis_memory_used_bytes{{{RedisNode}}}", "13e6x20"), ($"redis_memory_max_bytes{{{RedisNode}}}", "16e6x20")],
            [
                new(Min(4), alert, []),
                new(Min(10), alert, [Fired(alert, "warning", "user-service", RedisNode, "user-service: Redis memory above 75% of maxmemory",
                    "Redis redis-1:9121 uses 81.25% of its maxmemory (threshold 75%). At maxmemory it evicts sessions or refuses writes.")]),
            ]);
        yield return new("RedisMemoryHigh silent: 11MB of 16MB, and a node without maxmemory", Minute,
            [
                ($"redis_memory_used_bytes{{{RedisNode}}}", "11e6x20"), ($"redis_memory_max_bytes{{{RedisNode}}}", "16e6x20"),
                ("redis_memory_used_bytes{job=\"redis-sessions\", instance=\"redis-2:9121\"}", "13e6x20"), ("redis_memory_max_bytes{job=\"redis-sessions\", instance=\"redis-2:9121\"}", "0x20"),
            ],
            [new(Min(10), alert, [])]);
    }

    private static IEnumerable<RuleTest> RedisEvictionsHigh()
    {
        const string alert = "RedisEvictionsHigh";
        yield return new("RedisEvictionsHigh fires: 150 evictions/s", Minute,
            [($"redis_evicted_keys_total{{{RedisNode}}}", Counter(Minute, (150, 20)))],
            [
                new(Min(1), alert, []),
                new(Min(10), alert, [Fired(alert, "warning", "user-service", RedisNode, "user-service: Redis evicts more than 100 keys/s",
                    "Redis redis-1:9121 evicts 150 keys per second over 1m (threshold 100): sessions are being thrown away and users logged out.")]),
            ]);
        yield return new("RedisEvictionsHigh silent: 90 evictions/s", Minute, [($"redis_evicted_keys_total{{{RedisNode}}}", Counter(Minute, (90, 20)))], [new(Min(10), alert, [])]);
    }

    private static IEnumerable<RuleTest> SentinelFailover()
    {
        const string alert = "RedisSentinelFailover";
        const string master = Sentinel + ", master_name=\"sessions\", master_status=\"ok\"";
        yield return new("RedisSentinelFailover fires at once: the master address changes", Minute,
            [
                ($"redis_sentinel_master_status{{{master}, master_address=\"10.0.0.1:6379\"}}", Gauge((1, 11), (null, 20))),
                ($"redis_sentinel_master_status{{{master}, master_address=\"10.0.0.2:6379\"}}", Gauge((null, 11), (1, 20))),
            ],
            [
                new(Min(10), alert, []),
                new(Min(11), alert, [Fired(alert, "critical", "user-service", "job=\"redis-sentinel\", master_name=\"sessions\"", "user-service: Redis Sentinel failed over sessions",
                    "Sentinel reported 2 different addresses for master sessions in the last 10m: it failed over. Sessions written to the old primary may be lost.")]),
                new(Min(25), alert, []),
            ]);
        yield return new("RedisSentinelFailover silent: the master status changes but not its address", Minute,
            [
                ($"redis_sentinel_master_status{{{Sentinel}, master_name=\"sessions\", master_status=\"ok\", master_address=\"10.0.0.1:6379\"}}", Gauge((1, 10), (null, 10))),
                ($"redis_sentinel_master_status{{{Sentinel}, master_name=\"sessions\", master_status=\"sdown\", master_address=\"10.0.0.1:6379\"}}", Gauge((null, 10), (1, 10))),
            ],
            [new(Min(15), alert, [])]);
    }

    private static IEnumerable<RuleTest> SentinelQuorumLost()
    {
        const string alert = "RedisSentinelQuorumLost";
        yield return new("RedisSentinelQuorumLost fires: CKQUORUM fails for 5m", Minute,
            [($"redis_sentinel_master_ckquorum_status{{{Sentinel}, master_name=\"sessions\", message=\"NOQUORUM 1 usable Sentinels\"}}", "0x20")],
            [
                new(Min(4), alert, []),
                new(Min(10), alert, [Fired(alert, "critical", "user-service", "job=\"redis-sentinel\", master_name=\"sessions\"", "user-service: Redis Sentinel cannot reach quorum for sessions",
                    "SENTINEL CKQUORUM fails for master sessions: too few Sentinels agree, so a failing primary would not be replaced.")]),
            ]);
        yield return new("RedisSentinelQuorumLost silent: CKQUORUM OK", Minute,
            [($"redis_sentinel_master_ckquorum_status{{{Sentinel}, master_name=\"sessions\", message=\"OK 3 usable Sentinels\"}}", "1x20")], [new(Min(10), alert, [])]);
    }

    private static IEnumerable<RuleTest> RedisExporterDown()
    {
        const string alert = "RedisExporterDown";
        yield return new("RedisExporterDown fires: the exporter cannot reach its Redis", Minute,
            [($"redis_up{{{RedisNode}}}", "1x5 0x15"), ($"up{{{RedisNode}}}", "1x20")],
            [
                new(Min(6), alert, []),
                new(Min(10), alert, [Fired(alert, "warning", "user-service", RedisNode, "user-service: a Redis node or Sentinel is not monitored",
                    "redis_exporter target redis-1:9121 (job redis-sessions) cannot be scraped or cannot reach its Redis or Sentinel: the Redis alerts are blind there, or the node is down.")]),
            ]);
        yield return new("RedisExporterDown silent: exporter and Redis up", Minute, [($"redis_up{{{RedisNode}}}", "1x20"), ($"up{{{RedisNode}}}", "1x20")], [new(Min(10), alert, [])]);
    }

    private static IEnumerable<RuleTest> LoginRateSpike()
    {
        const string alert = "LoginRateSpike";
        var fired = Fired(alert, "warning", "user-service", "job=\"user-service\"", "user-service: login attempts above 3x normal",
            "Login attempts on user-service run at 4 times their normal rate over 1m (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last 1h20m; threshold 3x). Sessions were lost (Redis eviction or failover) or someone is guessing passwords.");
        yield return new("LoginRateSpike fires: both login counters together go from 5/s to 20/s", Minute,
            [
                ($"incident_login_attempts_total{{{User}, incident_login_result=\"success\", otel_scope_name=\"IncidentTelemetry.Authentication\"}}", Counter(Minute, (3, 90), (12, 30))),
                ($"aspnetcore_identity_sign_in_check_password_attempts_total{{{User}, aspnetcore_identity_sign_in_result=\"success\", otel_scope_name=\"Microsoft.AspNetCore.Identity\"}}", Counter(Minute, (2, 90), (8, 30))),
            ],
            [new(Min(91), alert, []), new(Min(100), alert, [fired])]);
        yield return new("LoginRateSpike silent: logins grow 2.9x (not above 3x)", Minute,
            [($"incident_login_attempts_total{{{User}, incident_login_result=\"success\"}}", Counter(Minute, (5, 90), (14.5, 30)))], [new(Min(100), alert, [])]);
        yield return new("LoginRateSpike silent: tenfold, but 0.02 logins/s (floor 0.05/s)", Minute,
            [($"incident_login_attempts_total{{{User}, incident_login_result=\"success\"}}", Counter(Minute, (0.002, 90), (0.02, 30)))], [new(Min(100), alert, [])]);
    }

    private static IEnumerable<RuleTest> QueryLatency()
    {
        const string alert = "DatabaseQueryLatencyP95High";
        const string labels = Inventory + ", db_system_name=\"postgresql\", db_client_connection_pool_name=\"inventory\", otel_scope_name=\"Npgsql\"";
        yield return new("DatabaseQueryLatencyP95High fires: queries take 0.5 to 0.75s for 5m", Minute,
            [.. Histogram("db_client_operation_duration_seconds", labels, 0.5, perSecond: 10, samples: 20, Minute)],
            [
                new(Min(4), alert, []),
                new(Min(12), alert, [Fired(alert, "warning", "inventory-service", "job=\"inventory-service\"", "inventory-service: database query P95 above 500ms",
                    "95 % of the database operations of inventory-service took up to 737.5ms over 1m (threshold 500ms). A missing index or a locked table?")]),
            ]);
        yield return new("DatabaseQueryLatencyP95High silent: 0.25 to 0.5s", Minute,
            [.. Histogram("db_client_operation_duration_seconds", labels, 0.25, perSecond: 10, samples: 20, Minute)], [new(Min(12), alert, [])]);
    }

    private static IEnumerable<RuleTest> DependencyLatency()
    {
        const string alert = "DependencyLatencyP95High";
        const string labels = Order + ", peer_service=\"inventory-service\", server_address=\"inventory\", http_request_method=\"GET\", otel_scope_name=\"System.Net.Http\"";
        yield return new("DependencyLatencyP95High fires: order-service calls to inventory-service take 1 to 1.5s", Minute,
            [.. Histogram("http_client_request_duration_seconds", labels, 1, perSecond: 10, samples: 20, Minute)],
            [
                new(Min(4), alert, []),
                new(Min(12), alert, [Fired(alert, "warning", "order-service", "job=\"order-service\", peer_service=\"inventory-service\"", "order-service: calls to inventory-service P95 above 1s",
                    "95 % of the calls from order-service to inventory-service took up to 1.475s over 1m (threshold 1s).")]),
            ]);
        yield return new("DependencyLatencyP95High silent: 0.75 to 1s", Minute,
            [.. Histogram("http_client_request_duration_seconds", labels, 0.75, perSecond: 10, samples: 20, Minute)], [new(Min(12), alert, [])]);
    }

    private static IEnumerable<RuleTest> RedisClientFailover()
    {
        const string alert = "RedisClientFailover";
        const string client = User + ", redis_name=\"sessions\", otel_scope_name=\"IncidentTelemetry.Redis\"";
        yield return new("RedisClientFailover fires at once: the client sees the primary change", Minute,
            [($"incident_redis_client_primary_changes_total{{{client}}}", "0x10 1x20")],
            [
                new(Min(10), alert, []),
                new(Min(11), alert, [Fired(alert, "critical", "user-service", "job=\"user-service\", redis_name=\"sessions\"", "user-service: Redis sessions has a new primary",
                    "The Redis client of user-service saw the primary of sessions change 1 time(s) in the last 5m (a Sentinel failover or switch-over). Data written to the old primary may be lost; sessions may be gone.")]),
                new(Min(20), alert, []),
            ]);
        yield return new("RedisClientFailover silent: no primary change", Minute,
            [($"incident_redis_client_primary_changes_total{{{client}}}", "0x30")], [new(Min(20), alert, [])]);
    }

    public static (string Series, string Values) Requests(string target, string route, TimeSpan interval, params (double PerSecond, int Samples)[] segments)
        => ($"http_server_request_duration_seconds_count{{{target}, http_route=\"{route}\", http_request_method=\"GET\", otel_scope_name=\"Microsoft.AspNetCore.Hosting\"}}", Counter(interval, segments));

    private static List<(string, string)> Pool(int used, int max, int samples) =>
    [
        ($"db_client_connection_count{{{PaymentPool}, db_client_connection_state=\"used\", otel_scope_name=\"Npgsql\"}}", Gauge((used, samples))),
        ($"db_client_connection_count{{{PaymentPool}, db_client_connection_state=\"idle\", otel_scope_name=\"Npgsql\"}}", Gauge((max - used, samples))),
        ($"db_client_connection_max{{{PaymentPool}, otel_scope_name=\"Npgsql\"}}", Gauge((max, samples))),
    ];

    /// <summary>Acquisitions of which <paramref name="waitedShare"/> waited between 10 and 25 ms, the rest under 5 ms.</summary>
    private static IEnumerable<(string, string)> WaitHistogram(double perSecond, double waitedShare, int samples)
    {
        var interval = Quarter;
        foreach (var le in Buckets)
        {
            var rate = le < 0.025 ? perSecond * (1 - waitedShare) : perSecond;
            yield return ($"db_client_connection_wait_time_seconds_bucket{{{PaymentPool}, le=\"{le.ToString(System.Globalization.CultureInfo.InvariantCulture)}\"}}", Counter(interval, (rate, samples)));
        }

        yield return ($"db_client_connection_wait_time_seconds_bucket{{{PaymentPool}, le=\"+Inf\"}}", Counter(interval, (perSecond, samples)));
        yield return ($"db_client_connection_wait_time_seconds_count{{{PaymentPool}}}", Counter(interval, (perSecond, samples)));
        yield return ($"db_client_connection_wait_time_seconds_sum{{{PaymentPool}}}", Counter(interval, (perSecond * 0.005, samples)));
    }

    public static ExpectedAlert Fired(string alert, string severity, string service, string seriesLabels, string summary, string description)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["severity"] = severity,
            ["team"] = Owners[service].Team,
            ["service"] = service,
            ["priority"] = alert == "LoginRateSpike" ? "P2" : Owners[service].Priority,
        };
        foreach (var pair in seriesLabels.Split(", ", StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            labels[pair[..eq]] = pair[(eq + 1)..].Trim('"');
        }

        var annotations = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = summary,
            ["description"] = description,
            ["runbook_url"] = RulesConfiguration.DefaultRunbookBaseUrl + alert + ".md",
        };
        return new ExpectedAlert(labels, annotations);
    }

    private static TimeSpan Min(double minutes) => TimeSpan.FromMinutes(minutes);
}
