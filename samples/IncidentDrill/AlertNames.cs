using IncidentTelemetry.Rules.Definitions;

namespace IncidentDrill;

/// <summary>The bundled alerts the drills expect, by the names the rules library defines (one source).</summary>
internal static class AlertNames
{
    public const string PoolUtilisationWarning = AlertName.PoolUtilisationHigh;
    public const string PoolUtilisationCritical = AlertName.PoolUtilisationCritical;
    public const string PoolQueueing = AlertName.PoolQueueing;
    public const string PoolWaitHigh = AlertName.PoolWaitHigh;
    public const string PoolTimeouts = AlertName.PoolTimeouts;
    public const string TrafficSpike = AlertName.TrafficSpike;
    public const string MemoryGrowth = AlertName.MemoryGrowthTrend;
    public const string MemoryNearLimit = AlertName.MemoryNearLimit;
    public const string Restarted = AlertName.ServiceRestarted;
    public const string MetricsMissing = AlertName.ServiceMetricsMissing;
    public const string GatewayLatency = AlertName.GatewayLatency;
    public const string EndpointLatency = AlertName.EndpointLatency;
    public const string RequestRateAnomaly = AlertName.RequestRateAnomaly;
    public const string RedisMemoryHigh = AlertName.RedisMemoryHigh;
    public const string RedisEvictionsHigh = AlertName.RedisEvictionsHigh;
    public const string SentinelFailover = AlertName.SentinelFailover;
    public const string RedisDown = AlertName.RedisExporterDown;
    public const string LoginSpike = AlertName.LoginRateSpike;
    public const string InventoryQueryLatency = AlertName.QueryLatency;
    public const string DependencyLatency = AlertName.DependencyLatency;
    public const string RedisClientFailover = AlertName.RedisClientFailover;
}
