using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Dashboards.Model;
using IncidentTelemetry.Rules;
using static IncidentTelemetry.Dashboards.Definitions.Promql;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>Drill-down for the session store: payloads written by the services, Redis memory, Sentinel.</summary>
internal static class SessionsRedis
{
    private static readonly string ByCache = By(Labels.Job, Labels.CacheName, Labels.CacheOperation);
    private static readonly string CacheLegend = Legend(Labels.Job, Labels.CacheName, Labels.CacheOperation);

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
                    [new(SumRate(ByCache, CachePayload.Sum, Service + ", " + Is(Labels.CacheOperation, "write")), CacheLegend)])
                { Min = 0 },
                new PanelSpec("Cache operation P95", "P95 latency of session reads and writes.", PanelKind.TimeSeries, "s",
                    [new(Quantile(0.95, CacheDuration, ByCache, Service), CacheLegend)])
                { Width = 12, Min = 0 },
                new PanelSpec("Cache operation errors", "Failed session reads and writes per second by error type (0 while none failed). Is the store unreachable?", PanelKind.TimeSeries, "ops",
                    [new(OrZero(SumRate(By(Labels.Job, Labels.CacheName, Labels.ErrorType), CacheDuration.Count, Service + $", {Labels.ErrorType}!=\"\""), SumRate(By(Labels.Job, Labels.CacheName), CacheDuration.Count, Service)), Legend(Labels.Job, Labels.CacheName, Labels.ErrorType))])
                { Width = 12, Min = 0 },
            ]),
            new("The services' Redis clients",
            [
                new PanelSpec("Client primary changes and connection failures", $"What the services' own Redis clients (StackExchange.Redis) saw: primary changes (the client followed a failover: {AlertName.RedisClientFailover}), connection failures by error type, connections restored, per second. Needs no redis_exporter.", PanelKind.TimeSeries, "ops",
                    [
                        new(SumRate(By(Labels.Job, Labels.RedisName), MetricCatalogue.RedisPrimaryChanges, Service), $"{L(Labels.Job)} {L(Labels.RedisName)} primary changes"),
                        new(SumRate(By(Labels.Job, Labels.RedisName, Labels.ErrorType), MetricCatalogue.RedisConnectionFailures, Service), $"{L(Labels.Job)} {L(Labels.RedisName)} failures {L(Labels.ErrorType)}"),
                        new(SumRate(By(Labels.Job, Labels.RedisName), MetricCatalogue.RedisConnectionRestores, Service), $"{L(Labels.Job)} {L(Labels.RedisName)} restores"),
                    ])
                { Width = 24, Min = 0 },
            ]),
            new("Redis server",
            [
                new PanelSpec("Redis memory used and maxmemory", "Used memory per Redis instance, with maxmemory as a dashed line.", PanelKind.TimeSeries, "bytes",
                    [
                        new(Selector(MetricCatalogue.RedisMemoryUsed, Redis), $"{L(Labels.Instance)} used"),
                        new(Selector(MetricCatalogue.RedisMemoryMax, Redis), $"{L(Labels.Instance)} maxmemory", SeriesStyle.Reference),
                    ])
                { Min = 0 },
                SharedPanels.RedisMemoryRatioPanel(8),
                SharedPanels.EvictionsPanel(8),
            ]),
            new("Sentinel",
            [
                new PanelSpec("Sentinel masters", "Each monitored master, the address Sentinel currently points clients to, and its status (1 = ok).", PanelKind.Table, "short",
                    [new(Selector(MetricCatalogue.RedisSentinelMasterStatus, Redis), Legend(Labels.MasterName, Labels.MasterAddress))])
                { Width = 12, Instant = true },
                new PanelSpec("Failovers per " + DashboardSettings.FailoverWindow, "Master address changes per master in a sliding window: above zero, Sentinel failed over.", PanelKind.TimeSeries, "short",
                    [new(SharedPanels.Failovers(DashboardSettings.FailoverWindow), Legend(Labels.MasterName))])
                {
                    Width = 6,
                    Min = 0,
                    Thresholds = [new(AlertThresholds.SentinelFailovers, "red", AlertName.RedisSentinelFailover)],
                },
                SharedPanels.FailoversStat(6),
                new PanelSpec("Exporter sees Redis", $"{MetricCatalogue.RedisUp} per exporter target: 0 means the exporter cannot reach Redis or Sentinel.", PanelKind.Stat, "short",
                    [new(Selector(MetricCatalogue.RedisUp, Redis), Legend(Labels.Instance))])
                { Width = 24, Height = 4, Instant = true },
            ]),
        ],
        Slugs.OthersThan(Slugs.SessionsRedis));
}
