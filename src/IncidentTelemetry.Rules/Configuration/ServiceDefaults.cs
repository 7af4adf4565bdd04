using IncidentTelemetry.Rules.Definitions;

namespace IncidentTelemetry.Rules.Configuration;

/// <summary>
/// The five services of the incident reviews (week 49 and week 50, 2024) with the alerts, teams and priorities the
/// reviews asked for. Any other service gets only the companions every service has.
/// </summary>
internal static class ServiceDefaults
{
    /// <summary>Alerts every service gets: it disappeared or restarted.</summary>
    public static readonly string[] Companions = [AlertName.ServiceMetricsMissing, AlertName.ServiceRestarted, AlertName.KubePodRestarted];

    private static readonly string[] Pool =
        [AlertName.PoolUtilisationHigh, AlertName.PoolUtilisationCritical, AlertName.PoolQueueing, AlertName.PoolWaitHigh, AlertName.PoolTimeouts];

    public static IReadOnlyList<ServiceConfiguration> All() =>
    [
        Service("payment-service", "payments", "P1", [.. Pool, AlertName.TrafficSpike]),
        Service("order-service", "orders", "P2", [AlertName.MemoryGrowthTrend, AlertName.MemoryNearLimit, AlertName.DependencyLatency], s => s.DependencyPeers = "inventory-service"),
        Service("inventory-service", "orders", "P2", [AlertName.QueryLatency, .. Pool]),
        Service("api-gateway", "platform", "P2", [AlertName.GatewayLatency, AlertName.EndpointLatency, AlertName.RequestRateAnomaly]),
        Service(
            "user-service",
            "identity",
            "P1",
            [AlertName.RedisMemoryHigh, AlertName.RedisEvictionsHigh, AlertName.SentinelFailover, AlertName.RedisClientFailover, AlertName.SentinelQuorumLost, AlertName.RedisExporterDown, AlertName.LoginRateSpike],
            s =>
            {
                s.RedisJob = "redis-sessions";
                s.SentinelJob = "redis-sentinel";
                s.Priorities = new Dictionary<string, string>(StringComparer.Ordinal) { [AlertName.LoginRateSpike] = "P2" };
            }),
    ];

    /// <summary>A service not among the defaults: the companions only, owned by <paramref name="team"/>.</summary>
    public static ServiceConfiguration Other(string name, string team, string priority) => Service(name, team, priority, []);

    private static ServiceConfiguration Service(string name, string team, string priority, string[] alerts, Action<ServiceConfiguration>? configure = null)
    {
        var service = new ServiceConfiguration(name, team, priority) { Alerts = [.. alerts, .. Companions] };
        configure?.Invoke(service);
        return service;
    }
}
