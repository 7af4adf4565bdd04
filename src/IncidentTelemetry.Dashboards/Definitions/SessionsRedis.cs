using IncidentTelemetry.Dashboards.Model;
using static IncidentTelemetry.Dashboards.Definitions.Promql;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>Drill-down for the session store: payloads written by the services, Redis memory, Sentinel.</summary>
internal static class SessionsRedis
{
    private const string ByCache = "job, incident_cache_name, incident_cache_operation";
    private const string CacheLegend = "{{job}} {{incident_cache_name}} {{incident_cache_operation}}";

    public static DashboardSpec Build() => new(
        Slugs.SessionsRedis,
        "IncidentTelemetry / Sessions & Redis",
        "Session cache payloads and latency from the chosen services (incident.cache.*), what their Redis clients saw (incident.redis.client.*), Redis memory and evictions, and Sentinel masters (redis_exporter, job $redis_job).",
        ["drill-down", "redis"],
        [Variables.Job, Variables.Instance, Variables.RedisJob],
        [
            new("Session payloads",
            [
                new PanelSpec("Payload size P95", "P95 size read and written per cache. Did sessions get bigger?", PanelKind.TimeSeries, "bytes",
                    [new(Quantile(0.95, CachePayload, ByCache, Service), CacheLegend)])
                { Min = 0 },
                new PanelSpec("Payload size P50", "Median size read and written per cache.", PanelKind.TimeSeries, "bytes",
                    [new(Quantile(0.5, CachePayload, ByCache, Service), CacheLegend)])
                { Min = 0 },
                new PanelSpec("Bytes written per second", "Session bytes written per second per cache: payload size times write rate. How fast does the store fill?", PanelKind.TimeSeries, "Bps",
                    [new(SumRate(ByCache, CachePayload + "_sum", Service + ", incident_cache_operation=\"write\""), CacheLegend)])
                { Min = 0 },
                new PanelSpec("Cache operation P95", "P95 latency of session reads and writes.", PanelKind.TimeSeries, "s",
                    [new(Quantile(0.95, CacheDuration, ByCache, Service), CacheLegend)])
                { Width = 12, Min = 0 },
                new PanelSpec("Cache operation errors", "Failed session reads and writes per second by error type (0 while none failed). Is the store unreachable?", PanelKind.TimeSeries, "ops",
                    [new(OrZero(SumRate("job, incident_cache_name, error_type", CacheDuration + "_count", Service + ", error_type!=\"\""), SumRate("job, incident_cache_name", CacheDuration + "_count", Service)), "{{job}} {{incident_cache_name}} {{error_type}}")])
                { Width = 12, Min = 0 },
            ]),
            new("The services' Redis clients",
            [
                new PanelSpec("Client primary changes and connection failures", "What the services' own Redis clients (StackExchange.Redis) saw: primary changes (the client followed a failover: RedisClientFailover), connection failures by error type, connections restored, per second. Needs no redis_exporter.", PanelKind.TimeSeries, "ops",
                    [
                        new(SumRate("job, redis_name", "incident_redis_client_primary_changes_total", Service), "{{job}} {{redis_name}} primary changes"),
                        new(SumRate("job, redis_name, error_type", "incident_redis_client_connection_failures_total", Service), "{{job}} {{redis_name}} failures {{error_type}}"),
                        new(SumRate("job, redis_name", "incident_redis_client_connection_restores_total", Service), "{{job}} {{redis_name}} restores"),
                    ])
                { Width = 24, Min = 0 },
            ]),
            new("Redis server",
            [
                new PanelSpec("Redis memory used and maxmemory", "Used memory per Redis instance, with maxmemory as a dashed line.", PanelKind.TimeSeries, "bytes",
                    [
                        new(Selector("redis_memory_used_bytes", Redis), "{{instance}} used"),
                        new(Selector("redis_memory_max_bytes", Redis), "{{instance}} maxmemory", SeriesStyle.Reference),
                    ])
                { Min = 0 },
                SharedPanels.RedisMemoryRatioPanel(8),
                SharedPanels.EvictionsPanel(8),
            ]),
            new("Sentinel",
            [
                new PanelSpec("Sentinel masters", "Each monitored master, the address Sentinel currently points clients to, and its status (1 = ok).", PanelKind.Table, "short",
                    [new(Selector("redis_sentinel_master_status", Redis), "{{master_name}} {{master_address}}")])
                { Width = 12, Instant = true },
                new PanelSpec("Failovers per " + DashboardSettings.FailoverWindow, "Master address changes per master in a sliding window: above zero, Sentinel failed over.", PanelKind.TimeSeries, "short",
                    [new(SharedPanels.Failovers(DashboardSettings.FailoverWindow), "{{master_name}}")])
                {
                    Width = 6,
                    Min = 0,
                    Thresholds = [new(AlertThresholds.SentinelFailovers, "red", "RedisSentinelFailover")],
                },
                SharedPanels.FailoversStat(6),
                new PanelSpec("Exporter sees Redis", "redis_up per exporter target: 0 means the exporter cannot reach Redis or Sentinel.", PanelKind.Stat, "short",
                    [new(Selector("redis_up", Redis), "{{instance}}")])
                { Width = 24, Height = 4, Instant = true },
            ]),
        ],
        Slugs.OthersThan(Slugs.SessionsRedis));
}
