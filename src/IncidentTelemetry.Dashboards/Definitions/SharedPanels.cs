using System.Globalization;
using IncidentTelemetry.Dashboards.Model;
using static IncidentTelemetry.Dashboards.Definitions.Promql;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>
/// Panels shown both on the overview and on a drill-down (with the same query and threshold lines), so the two
/// views of one signal can never disagree.
/// </summary>
internal static class SharedPanels
{
    public static readonly ThresholdSpec[] PoolUtilisation =
    [
        new(AlertThresholds.PoolUtilisationWarning, "orange", "ConnectionPoolUtilisationHigh"),
        new(AlertThresholds.PoolUtilisationCritical, "red", "ConnectionPoolUtilisationCritical"),
    ];

    public static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    public static PanelSpec PoolUtilisationPanel(int width) => new(
        "Connection pool utilisation",
        "Connections in use over the pool's maximum, per pool. Is the pool about to run out, as in the payment-service incident?",
        PanelKind.TimeSeries,
        "percentunit",
        [new(
            $"max by (job, instance, db_client_connection_pool_name) ({Selector("db_client_connection_count", Pool + ", db_client_connection_state=\"used\"")})\n/\n" +
            $"max by (job, instance, db_client_connection_pool_name) ({Selector("db_client_connection_max", Pool)})",
            "{{job}} {{instance}} {{db_client_connection_pool_name}}")])
    {
        Width = width,
        Min = 0,
        Max = 1,
        Thresholds = PoolUtilisation,
    };

    public static PanelSpec PoolWaitPanel(int width) => new(
        "Connection pool wait (mean)",
        "Mean time a caller waited for a pooled connection. Are requests queueing for connections?",
        PanelKind.TimeSeries,
        "s",
        [new(Mean(PoolWait, "job, db_client_connection_pool_name", Pool), "{{job}} {{db_client_connection_pool_name}}")])
    {
        Width = width,
        Min = 0,
        Thresholds = [new(AlertThresholds.PoolWaitSeconds, "red", "ConnectionPoolWaitHigh")],
    };

    public static PanelSpec DependencyP95Panel(int width) => new(
        "Dependency P95 latency by peer",
        "P95 of outgoing HTTP calls per downstream service. Is a dependency (for example inventory-service) slowing this service down?",
        PanelKind.TimeSeries,
        "s",
        [new(Quantile(0.95, ClientRequests, "job, peer_service", Peer), "{{job}} → {{peer_service}}")])
    {
        Width = width,
        Min = 0,
        Thresholds = [new(AlertThresholds.DependencyP95Seconds, "red", "DependencyLatencyP95High")],
    };

    public static PanelSpec RedisMemoryRatioPanel(int width) => new(
        "Redis memory / maxmemory",
        "Redis used memory over its maxmemory, per Redis instance (no series when maxmemory is unset). Is the session store about to run out of memory?",
        PanelKind.TimeSeries,
        "percentunit",
        [new($"{Selector("redis_memory_used_bytes", Redis)}\n/\n({Selector("redis_memory_max_bytes", Redis)} > 0)", "{{instance}}")])
    {
        Width = width,
        Min = 0,
        Max = 1,
        Thresholds = [new(AlertThresholds.RedisMemoryRatio, "red", "RedisMemoryHigh")],
    };

    public static PanelSpec EvictionsPanel(int width) => new(
        "Redis evictions",
        "Keys evicted per second because Redis hit maxmemory. Are sessions being thrown away?",
        PanelKind.TimeSeries,
        "cps",
        [new(SumRate("job, instance", "redis_evicted_keys_total", Redis), "{{instance}}")])
    {
        Width = width,
        Min = 0,
        Thresholds = [new(AlertThresholds.RedisEvictionsPerSecond, "red", "RedisEvictionsHigh")],
    };

    /// <summary>Failovers per master in a window: distinct master addresses seen, minus the one it started with.</summary>
    public static string Failovers(string window) =>
        $"count by (master_name) (count by (master_name, master_address) (count_over_time({Selector("redis_sentinel_master_status", Redis)}[{window}]))) - 1";

    public static PanelSpec FailoversStat(int width) => new(
        "Sentinel failovers",
        "Failovers per Sentinel master in the selected time range (master addresses seen minus one). Did the session store fail over and log everyone out?",
        PanelKind.Stat,
        "short",
        [new(Failovers("$__range"), "{{master_name}}")])
    {
        Width = width,
        Instant = true,
        Thresholds = [new(AlertThresholds.SentinelFailovers, "red", "RedisSentinelFailover")],
    };

    public static PanelSpec LoginsPanel(int width)
    {
        var logins = SumRate("job", "incident_login_attempts_total", Service);
        return new(
            "Login attempts against their baseline",
            "Login attempts per second by result, with the rate that fires LoginRateSpike (the normal rate over the last day times the spike factor). Did a failover log everyone out, or is someone attacking?",
            PanelKind.TimeSeries,
            "cps",
            [
                new(SumRate("job, incident_login_result", "incident_login_attempts_total", Service), "{{job}} {{incident_login_result}}"),
                new(SumRate("job", "aspnetcore_identity_sign_in_check_password_attempts_total", Service), "{{job}} Identity password checks"),
                new($"{Number(AlertThresholds.LoginSpikeFactor)} * {Baseline(logins)}", $"{{{{job}}}} {Number(AlertThresholds.LoginSpikeFactor)}× normal (LoginRateSpike)", SeriesStyle.Reference),
            ])
        {
            Width = width,
            Min = 0,
        };
    }

    public static PanelSpec MemoryRatioPanel(int width) => new(
        "Memory / limit",
        "Working set over the container or GC memory limit, per instance. Is a service leaking towards an OOM kill?",
        PanelKind.TimeSeries,
        "percentunit",
        [new(
            $"max by (job, instance) ({Selector("dotnet_process_memory_working_set_bytes", Service)})\n/\n" +
            $"max by (job, instance) ({Selector("incident_process_memory_limit_bytes", Service)})",
            "{{job}} {{instance}}")])
    {
        Width = width,
        Min = 0,
        Max = 1,
        Thresholds = [new(AlertThresholds.MemoryLimitRatio, "red", "MemoryNearLimit")],
    };

    public static PanelSpec RestartsStat(int width) => new(
        "Restarts",
        "Restarts per instance in the selected time range (process uptime went back to zero). Was a service OOM-killed or crash-looping?",
        PanelKind.Stat,
        "short",
        [new($"sum by (job, instance) (resets({Selector("process_uptime_seconds", Service)}[$__range]))", "{{job}} {{instance}}")])
    {
        Width = width,
        Instant = true,
        Thresholds = [new(AlertThresholds.Restarts, "red", "ServiceRestarted")],
    };
}
