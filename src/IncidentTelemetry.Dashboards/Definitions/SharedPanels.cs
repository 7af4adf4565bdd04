using System.Globalization;
using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Dashboards.Model;
using IncidentTelemetry.Rules;
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
        new(AlertThresholds.PoolUtilisationWarning, "orange", AlertName.ConnectionPoolUtilisationHigh),
        new(AlertThresholds.PoolUtilisationCritical, "red", AlertName.ConnectionPoolUtilisationCritical),
    ];

    public static string Number(double value) => value.ToString(CultureInfo.InvariantCulture);

    public static PanelSpec PoolUtilisationPanel(int width) => new(
        "Connection pool utilisation",
        "Connections in use over the pool's maximum, per pool. Is the pool about to run out, as in the payment-service incident?",
        PanelKind.TimeSeries,
        "percentunit",
        [new(
            $"max by ({By(Labels.Job, Labels.Instance, Labels.DbConnectionPoolName)}) ({Selector(MetricCatalogue.DbConnectionCount, Pool + ", " + Is(Labels.DbConnectionState, "used"))})\n/\n" +
            $"max by ({By(Labels.Job, Labels.Instance, Labels.DbConnectionPoolName)}) ({Selector(MetricCatalogue.DbConnectionMax, Pool)})",
            Legend(Labels.Job, Labels.Instance, Labels.DbConnectionPoolName))])
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
        [new(Mean(PoolWait, By(Labels.Job, Labels.DbConnectionPoolName), Pool), Legend(Labels.Job, Labels.DbConnectionPoolName))])
    {
        Width = width,
        Min = 0,
        Thresholds = [new(AlertThresholds.PoolWaitSeconds, "red", AlertName.ConnectionPoolWaitHigh)],
    };

    public static PanelSpec DependencyP95Panel(int width) => new(
        "Dependency P95 latency by peer",
        "P95 of outgoing HTTP calls per downstream service. Is a dependency (for example inventory-service) slowing this service down?",
        PanelKind.TimeSeries,
        "s",
        [new(Quantile(0.95, ClientRequests, By(Labels.Job, Labels.PeerService), Peer), $"{L(Labels.Job)} → {L(Labels.PeerService)}")])
    {
        Width = width,
        Min = 0,
        Thresholds = [new(AlertThresholds.DependencyP95Seconds, "red", AlertName.DependencyLatencyP95High)],
    };

    public static PanelSpec RedisMemoryRatioPanel(int width) => new(
        "Redis memory / maxmemory",
        "Redis used memory over its maxmemory, per Redis instance (no series when maxmemory is unset). Is the session store about to run out of memory?",
        PanelKind.TimeSeries,
        "percentunit",
        [new($"{Selector(MetricCatalogue.RedisMemoryUsed, Redis)}\n/\n({Selector(MetricCatalogue.RedisMemoryMax, Redis)} > 0)", L(Labels.Instance))])
    {
        Width = width,
        Min = 0,
        Max = 1,
        Thresholds = [new(AlertThresholds.RedisMemoryRatio, "red", AlertName.RedisMemoryHigh)],
    };

    public static PanelSpec EvictionsPanel(int width) => new(
        "Redis evictions",
        "Keys evicted per second because Redis hit maxmemory. Are sessions being thrown away?",
        PanelKind.TimeSeries,
        "cps",
        [new(SumRate(By(Labels.Job, Labels.Instance), MetricCatalogue.RedisEvictedKeys, Redis), Legend(Labels.Instance))])
    {
        Width = width,
        Min = 0,
        Thresholds = [new(AlertThresholds.RedisEvictionsPerSecond, "red", AlertName.RedisEvictionsHigh)],
    };

    /// <summary>Failovers per master in a window: distinct master addresses seen, minus the one it started with.</summary>
    public static string Failovers(string window) =>
        $"count by ({Labels.MasterName}) (count by ({By(Labels.MasterName, Labels.MasterAddress)}) (count_over_time({Selector(MetricCatalogue.RedisSentinelMasterStatus, Redis)}[{window}]))) - 1";

    public static PanelSpec FailoversStat(int width) => new(
        "Sentinel failovers",
        "Failovers per Sentinel master in the selected time range (master addresses seen minus one). Did the session store fail over and log everyone out?",
        PanelKind.Stat,
        "short",
        [new(Failovers("$__range"), Legend(Labels.MasterName))])
    {
        Width = width,
        Instant = true,
        Thresholds = [new(AlertThresholds.SentinelFailovers, "red", AlertName.RedisSentinelFailover)],
    };

    public static PanelSpec LoginsPanel(int width)
    {
        var logins = SumRate(Labels.Job.Name, MetricCatalogue.LoginAttempts, Service);
        return new(
            "Login attempts against their baseline",
            $"Login attempts per second by result, with the rate that fires {AlertName.LoginRateSpike} (the normal rate over the last day times the spike factor). Did a failover log everyone out, or is someone attacking?",
            PanelKind.TimeSeries,
            "cps",
            [
                new(SumRate(By(Labels.Job, Labels.LoginResult), MetricCatalogue.LoginAttempts, Service), Legend(Labels.Job, Labels.LoginResult)),
                new(SumRate(Labels.Job.Name, MetricCatalogue.IdentityCheckPasswordAttempts, Service), $"{L(Labels.Job)} Identity password checks"),
                new($"{Number(AlertThresholds.LoginSpikeFactor)} * {Baseline(logins)}", $"{L(Labels.Job)} {Number(AlertThresholds.LoginSpikeFactor)}× normal ({AlertName.LoginRateSpike})", SeriesStyle.Reference),
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
            $"max by ({By(Labels.Job, Labels.Instance)}) ({Selector(MetricCatalogue.DotnetWorkingSet, Service)})\n/\n" +
            $"max by ({By(Labels.Job, Labels.Instance)}) ({Selector(MetricCatalogue.ProcessMemoryLimit, Service)})",
            Legend(Labels.Job, Labels.Instance))])
    {
        Width = width,
        Min = 0,
        Max = 1,
        Thresholds = [new(AlertThresholds.MemoryLimitRatio, "red", AlertName.MemoryNearLimit)],
    };

    public static PanelSpec RestartsStat(int width) => new(
        "Restarts",
        "Restarts per instance in the selected time range (process uptime went back to zero). Was a service OOM-killed or crash-looping?",
        PanelKind.Stat,
        "short",
        [new($"sum by ({By(Labels.Job, Labels.Instance)}) (resets({Selector(MetricCatalogue.ProcessUptime, Service)}[$__range]))", Legend(Labels.Job, Labels.Instance))])
    {
        Width = width,
        Instant = true,
        Thresholds = [new(AlertThresholds.Restarts, "red", AlertName.ServiceRestarted)],
    };
}
