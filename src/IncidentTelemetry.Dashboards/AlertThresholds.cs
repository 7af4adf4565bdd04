using IncidentTelemetry.Rules.Definitions;

namespace IncidentTelemetry.Dashboards;

/// <summary>
/// The numbers the threshold lines are drawn at: the defaults of the bundled alert rules, read from their
/// definitions (IncidentTelemetry.Rules, <see cref="Threshold"/>), so that a dashboard can never draw a line the
/// rules do not alert at. The alert each line belongs to is named after it.
/// </summary>
internal static class AlertThresholds
{
    /// <summary>ConnectionPoolUtilisationHigh: connections used / pool maximum, at or above (w50-1).</summary>
    public static readonly double PoolUtilisationWarning = Default(Threshold.PoolUtilisationWarning);

    /// <summary>ConnectionPoolUtilisationCritical: connections used / pool maximum, at or above (w50-1).</summary>
    public static readonly double PoolUtilisationCritical = Default(Threshold.PoolUtilisationCritical);

    /// <summary>ConnectionPoolWaitHigh: average wait for a pooled connection, seconds (w49-2).</summary>
    public static readonly double PoolWaitSeconds = Default(Threshold.PoolWaitSeconds);

    /// <summary>DatabaseQueryLatencyP95High: P95 database operation latency, seconds (w49-2).</summary>
    public static readonly double DatabaseOperationP95Seconds = Default(Threshold.QueryP95Seconds);

    /// <summary>DependencyLatencyP95High: P95 latency to a downstream service, seconds (w49-2).</summary>
    public static readonly double DependencyP95Seconds = Default(Threshold.DependencyP95Seconds);

    /// <summary>RedisMemoryHigh: redis used memory / maxmemory (w49-1).</summary>
    public static readonly double RedisMemoryRatio = Default(Threshold.RedisMemoryRatio);

    /// <summary>RedisEvictionsHigh: evicted keys per second (w49-1).</summary>
    public static readonly double RedisEvictionsPerSecond = Default(Threshold.RedisEvictionsPerSecond);

    /// <summary>RedisSentinelFailover: any failover fires (w49-1); the rule's fixed condition, one more master address seen.</summary>
    public static readonly double SentinelFailovers = 1;

    /// <summary>LoginRateSpike: login attempts above this multiple of their normal rate (w49-1).</summary>
    public static readonly double LoginSpikeFactor = Default(Threshold.LoginSpikeFactor);

    /// <summary>MemoryNearLimit: working set / memory limit, at or above (w50-2).</summary>
    public static readonly double MemoryLimitRatio = Default(Threshold.MemoryLimitRatio);

    /// <summary>ServiceRestarted: any restart of a service instance (w50-2); the rule's fixed condition.</summary>
    public static readonly double Restarts = 1;

    private static double Default(string key) => Threshold.All[key].Default;
}
