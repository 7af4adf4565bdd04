namespace IncidentTelemetry.Rules.Definitions;

/// <summary>The names of the bundled alerts, as the dashboards, drills and runbooks use them.</summary>
internal static class AlertName
{
    public const string PoolUtilisationHigh = "ConnectionPoolUtilisationHigh";
    public const string PoolUtilisationCritical = "ConnectionPoolUtilisationCritical";
    public const string PoolQueueing = "ConnectionPoolQueueing";
    public const string PoolWaitHigh = "ConnectionPoolWaitHigh";
    public const string PoolTimeouts = "ConnectionPoolTimeouts";
    public const string TrafficSpike = "TrafficSpike";
    public const string MemoryGrowthTrend = "MemoryGrowthTrend";
    public const string MemoryNearLimit = "MemoryNearLimit";
    public const string ServiceRestarted = "ServiceRestarted";
    public const string KubePodRestarted = "KubePodRestarted";
    public const string ServiceMetricsMissing = "ServiceMetricsMissing";
    public const string GatewayLatency = "ServiceLatencyP95High";
    public const string EndpointLatency = "EndpointLatencyP95High";
    public const string RequestRateAnomaly = "RequestRateAnomaly";
    public const string RedisMemoryHigh = "RedisMemoryHigh";
    public const string RedisEvictionsHigh = "RedisEvictionsHigh";
    public const string SentinelFailover = "RedisSentinelFailover";
    public const string RedisClientFailover = "RedisClientFailover";
    public const string SentinelQuorumLost = "RedisSentinelQuorumLost";
    public const string RedisExporterDown = "RedisExporterDown";
    public const string LoginRateSpike = "LoginRateSpike";
    public const string QueryLatency = "DatabaseQueryLatencyP95High";
    public const string DependencyLatency = "DependencyLatencyP95High";
}
