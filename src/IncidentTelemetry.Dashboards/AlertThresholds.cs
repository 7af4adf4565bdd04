namespace IncidentTelemetry.Dashboards;

/// <summary>
/// The numbers the threshold lines are drawn at. Each one is the threshold of a bundled alert rule (named in
/// its comment) and comes from the incident reviews in the repository's shared incidents; change the rule and
/// this value together.
/// </summary>
internal static class AlertThresholds
{
    /// <summary>ConnectionPoolUtilisationHigh, warning: connections used / pool maximum (week 50, incident 1).</summary>
    public const double PoolUtilisationWarning = 0.75;

    /// <summary>ConnectionPoolUtilisationHigh, critical: connections used / pool maximum (week 50, incident 1).</summary>
    public const double PoolUtilisationCritical = 0.90;

    /// <summary>ConnectionPoolWaitHigh: average wait for a pooled connection, seconds (week 49, action 6).</summary>
    public const double PoolWaitSeconds = 0.1;

    /// <summary>InventoryQueryLatencyP95High: P95 database operation latency, seconds (week 49, action 5).</summary>
    public const double DatabaseOperationP95Seconds = 0.5;

    /// <summary>DependencyLatencyP95High: P95 latency to a downstream service, seconds (week 49, action 7).</summary>
    public const double DependencyP95Seconds = 1.0;

    /// <summary>RedisMemoryHigh: redis used memory / maxmemory (week 49, action 1).</summary>
    public const double RedisMemoryRatio = 0.75;

    /// <summary>RedisEvictionsHigh: evicted keys per second (week 49, action 2).</summary>
    public const double RedisEvictionsPerSecond = 100;

    /// <summary>RedisSentinelFailover: any failover fires (week 49, action 3); one more master address seen.</summary>
    public const double SentinelFailovers = 1;

    /// <summary>LoginRateSpike: login attempts above this multiple of their normal rate (week 49, action 4).</summary>
    public const double LoginSpikeFactor = 3;

    /// <summary>MemoryNearLimit: working set / memory limit (week 50, incident 2).</summary>
    public const double MemoryLimitRatio = 0.80;

    /// <summary>ServiceRestarted: any restart of a service instance (week 50, incident 2).</summary>
    public const double Restarts = 1;
}
