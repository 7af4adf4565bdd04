namespace IncidentTelemetry.Rules;

/// <summary>
/// The <c>alertname</c> of every bundled alert, as <see cref="RuleRenderer"/> writes it and as Prometheus and
/// Alertmanager report it: use these in silences, inhibitions, routes and tests instead of copying the text.
/// docs/alerts.md explains each alert and docs/runbooks/ holds its runbook, named after this value. The durations
/// below are the defaults at time scale 1: <see cref="ServiceConfiguration.For"/> overrides how long a condition must
/// hold, and <see cref="RulesConfiguration.TimeScale"/> shortens every window.
/// </summary>
public static class AlertName
{
    /// <summary>Warning: a connection pool has had the warning share of its connections in use or more for 5 minutes.</summary>
    public const string ConnectionPoolUtilisationHigh = "ConnectionPoolUtilisationHigh";

    /// <summary>Critical: a connection pool has had the critical share of its connections in use or more for 2 minutes.</summary>
    public const string ConnectionPoolUtilisationCritical = "ConnectionPoolUtilisationCritical";

    /// <summary>
    /// Warning: at the trend of the service's request rate over the last 5 minutes (a climb to 1.5 times the rate or more
    /// within the horizon), a connection pool with half of its connections or more in use would need all of them within
    /// 20 minutes (its use scaled by the traffic's growth), for 3 minutes.
    /// </summary>
    public const string ConnectionPoolExhaustionPredicted = "ConnectionPoolExhaustionPredicted";

    /// <summary>Warning: requests have queued for a connection of a busy pool for 2 minutes.</summary>
    public const string ConnectionPoolQueueing = "ConnectionPoolQueueing";

    /// <summary>Warning: the mean wait for a pool connection has been above its threshold for 5 minutes.</summary>
    public const string ConnectionPoolWaitHigh = "ConnectionPoolWaitHigh";

    /// <summary>Critical: requests timed out waiting for a pool connection.</summary>
    public const string ConnectionPoolTimeouts = "ConnectionPoolTimeouts";

    /// <summary>Warning: a service has served more than its spike factor times its normal request rate for 3 minutes.</summary>
    public const string TrafficSpike = "TrafficSpike";

    /// <summary>Warning: a service's working set grows fast enough to reach its memory limit within the horizon.</summary>
    public const string MemoryGrowthTrend = "MemoryGrowthTrend";

    /// <summary>Critical: a service's working set is at its limit ratio of the memory limit or more.</summary>
    public const string MemoryNearLimit = "MemoryNearLimit";

    /// <summary>Warning: a service's process uptime went back to zero in the last 15 minutes.</summary>
    public const string ServiceRestarted = "ServiceRestarted";

    /// <summary>Warning: kube-state-metrics counted a restart of a service's container in the last 15 minutes.</summary>
    public const string KubePodRestarted = "KubePodRestarted";

    /// <summary>Warning: Prometheus has not been able to scrape a service, or has no target for it, for 5 minutes.</summary>
    public const string ServiceMetricsMissing = "ServiceMetricsMissing";

    /// <summary>Warning: a service's P95 request latency has been above its threshold for 5 minutes.</summary>
    public const string ServiceLatencyP95High = "ServiceLatencyP95High";

    /// <summary>
    /// Warning: a service's P95 request latency is above half its threshold and has grown at least 1.5 times in each of
    /// the last two 2m30s steps, for 1 minute: it is climbing toward the threshold, before ServiceLatencyP95High's 5 minutes.
    /// </summary>
    public const string ServiceLatencyP95Rising = "ServiceLatencyP95Rising";

    /// <summary>Warning: one route's P95 request latency has been above its threshold for 5 minutes.</summary>
    public const string EndpointLatencyP95High = "EndpointLatencyP95High";

    /// <summary>Warning: a service's request rate has been far (in standard deviations) from its normal for 5 minutes.</summary>
    public const string RequestRateAnomaly = "RequestRateAnomaly";

    /// <summary>Warning: a Redis node has used more than its threshold share of maxmemory for 5 minutes (redis_exporter).</summary>
    public const string RedisMemoryHigh = "RedisMemoryHigh";

    /// <summary>Warning: a Redis node has evicted keys faster than its threshold for 2 minutes (redis_exporter).</summary>
    public const string RedisEvictionsHigh = "RedisEvictionsHigh";

    /// <summary>Critical: Redis Sentinel reported a new primary address for a master (redis_exporter).</summary>
    public const string RedisSentinelFailover = "RedisSentinelFailover";

    /// <summary>Critical: the service's own Redis client saw the primary change (no redis_exporter needed).</summary>
    public const string RedisClientFailover = "RedisClientFailover";

    /// <summary>Critical: too few Sentinels agree to replace a failing primary, for 5 minutes (redis_exporter).</summary>
    public const string RedisSentinelQuorumLost = "RedisSentinelQuorumLost";

    /// <summary>Warning: a redis_exporter target cannot be scraped or cannot reach its Redis or Sentinel, for 2 minutes.</summary>
    public const string RedisExporterDown = "RedisExporterDown";

    /// <summary>Warning: login attempts have run above their spike factor times normal for 2 minutes.</summary>
    public const string LoginRateSpike = "LoginRateSpike";

    /// <summary>Warning: a service's P95 database operation latency has been above its threshold for 5 minutes.</summary>
    public const string DatabaseQueryLatencyP95High = "DatabaseQueryLatencyP95High";

    /// <summary>Warning: the P95 latency of a service's calls to a dependency has been above its threshold for 5 minutes.</summary>
    public const string DependencyLatencyP95High = "DependencyLatencyP95High";

    /// <summary>
    /// Critical (a page): a service's (or route's) availability error budget burns fast: 14.4 times the sustainable rate
    /// over 1 hour and 5 minutes, or 6 times over 6 hours and 30 minutes (for a 30-day window), for 2 minutes.
    /// </summary>
    public const string AvailabilityBudgetBurnFast = "AvailabilityBudgetBurnFast";

    /// <summary>
    /// Warning (a ticket): a service's (or route's) availability error budget burns slowly: 3 times the sustainable rate
    /// over 1 day and 2 hours, or once over 3 days and 6 hours (for a 30-day window), for 15 minutes.
    /// </summary>
    public const string AvailabilityBudgetBurnSlow = "AvailabilityBudgetBurnSlow";

    /// <summary>Critical (a page): the latency error budget burns fast (as <see cref="AvailabilityBudgetBurnFast"/>).</summary>
    public const string LatencyBudgetBurnFast = "LatencyBudgetBurnFast";

    /// <summary>Warning (a ticket): the latency error budget burns slowly (as <see cref="AvailabilityBudgetBurnSlow"/>).</summary>
    public const string LatencyBudgetBurnSlow = "LatencyBudgetBurnSlow";
}
