namespace IncidentDrill;

/// <summary>The names of the bundled alerts the drills expect (rules/ and docs/alerts.md).</summary>
internal static class AlertNames
{
    public const string PoolUtilisationWarning = "ConnectionPoolUtilisationHigh";
    public const string PoolUtilisationCritical = "ConnectionPoolUtilisationCritical";
    public const string PoolQueueing = "ConnectionPoolQueueing";
    public const string PoolWaitHigh = "ConnectionPoolWaitHigh";
    public const string PoolTimeouts = "ConnectionPoolTimeouts";
    public const string TrafficSpike = "TrafficSpike";
    public const string MemoryGrowth = "MemoryGrowthTrend";
    public const string MemoryNearLimit = "MemoryNearLimit";
    public const string Restarted = "ServiceRestarted";
    public const string MetricsMissing = "ServiceMetricsMissing";
    public const string GatewayLatency = "ApiGatewayLatencyP95High";
    public const string EndpointLatency = "EndpointLatencyP95High";
    public const string RequestRateAnomaly = "RequestRateAnomaly";
    public const string RedisMemoryHigh = "RedisMemoryHigh";
    public const string RedisEvictionsHigh = "RedisEvictionsHigh";
    public const string SentinelFailover = "RedisSentinelFailover";
    public const string RedisDown = "RedisExporterDown";
    public const string LoginSpike = "LoginRateSpike";
    public const string InventoryQueryLatency = "InventoryQueryLatencyP95High";
    public const string DependencyLatency = "DependencyLatencyP95High";
}
