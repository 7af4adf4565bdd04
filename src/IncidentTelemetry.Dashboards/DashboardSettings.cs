namespace IncidentTelemetry.Dashboards;

/// <summary>Selectors, windows and defaults shared by every dashboard, kept apart from the panel definitions.</summary>
internal static class DashboardSettings
{
    /// <summary>Every dashboard's uid starts with this, so the set is easy to find and never collides.</summary>
    public const string UidPrefix = "incidenttelemetry-";

    /// <summary>The tag every dashboard carries; dashboard links and searches use it.</summary>
    public const string Tag = "incident-telemetry";

    /// <summary>Name of the Prometheus data source input shown by Grafana's import dialog.</summary>
    public const string DatasourceInput = "DS_PROMETHEUS";

    /// <summary>The data source template variable every panel and query references.</summary>
    public const string DatasourceRef = "${datasource}";

    public const string DefaultFrom = "now-3h";

    public const string DefaultRefresh = "30s";

    /// <summary>Value of "All" for multi-select variables: a regex that matches every value (and no label).</summary>
    public const string AllValue = ".*";

    /// <summary>
    /// Value of "All" for the redis_job variable: redis_exporter runs under its own scrape job, which
    /// conventionally has "redis" in its name. Change it here if yours does not.
    /// </summary>
    public const string RedisJobAllValue = ".*redis.*";

    /// <summary>
    /// How far back the "normal" rate of traffic and logins is taken, and at which resolution. The band is the
    /// mean plus or minus two standard deviations of the rate over this window. The one-minute resolution
    /// means a service that has run for two minutes already has a baseline point (with five minutes, whether
    /// a short history held an aligned point was luck: the incident drills saw panels come back empty).
    /// </summary>
    public const string BaselineWindow = "1d:1m";

    /// <summary>Window in which a change of Sentinel master address counts as a failover (RedisSentinelFailover).</summary>
    public const string FailoverWindow = "5m";

    /// <summary>Window for the memory growth trend (MemoryGrowthTrend, the rule's regression window): long enough to see a leak, not GC noise.</summary>
    public const string MemoryTrendWindow = "20m";
}
