namespace IncidentTelemetry.Rules.Definitions;

/// <summary>
/// The threshold keys a service's <c>thresholds:</c> section accepts, with their defaults (from the incident
/// reviews in the repository's shared incidents) and the range a value must be in.
/// </summary>
internal static class Threshold
{
    public const string PoolUtilisationWarning = "poolUtilisationWarning";
    public const string PoolUtilisationCritical = "poolUtilisationCritical";
    public const string PoolQueueingShare = "poolQueueingShare";
    public const string PoolWaitSeconds = "poolWaitSeconds";
    public const string TrafficSpikeFactor = "trafficSpikeFactor";
    public const string RequestRateZScore = "requestRateZScore";
    public const string GatewayP95Seconds = "gatewayP95Seconds";
    public const string EndpointP95Seconds = "endpointP95Seconds";
    public const string QueryP95Seconds = "queryP95Seconds";
    public const string DependencyP95Seconds = "dependencyP95Seconds";
    public const string MemoryLimitRatio = "memoryLimitRatio";
    public const string MemoryGrowthHorizonHours = "memoryGrowthHorizonHours";
    public const string RedisMemoryRatio = "redisMemoryRatio";
    public const string RedisEvictionsPerSecond = "redisEvictionsPerSecond";
    public const string LoginSpikeFactor = "loginSpikeFactor";
    public const string MinRequestRate = "minRequestRate";
    public const string MinLoginRate = "minLoginRate";

    /// <summary>Every key with its default and whether it is a ratio (0 &lt; value ≤ 1) or any positive number.</summary>
    public static readonly IReadOnlyDictionary<string, (double Default, bool Ratio)> All = new Dictionary<string, (double, bool)>(StringComparer.Ordinal)
    {
        [PoolUtilisationWarning] = (0.75, true),   // week 50, incident 1
        [PoolUtilisationCritical] = (0.90, true),  // week 50, incident 1
        [PoolQueueingShare] = (0.1, true),         // share of acquisitions that waited longer than 10 ms
        [PoolWaitSeconds] = (0.1, false),          // week 49, action 6
        [TrafficSpikeFactor] = (2, false),         // week 50, incident 1: the spike was 3x; page at 2x
        [RequestRateZScore] = (3, false),          // week 50, incident 3
        [GatewayP95Seconds] = (0.5, false),        // week 50, incident 3: 50 ms normally, 2 s in the incident
        [EndpointP95Seconds] = (0.5, false),       // week 50, incident 3
        [QueryP95Seconds] = (0.5, false),          // week 49, action 5
        [DependencyP95Seconds] = (1, false),       // week 49, action 7
        [MemoryLimitRatio] = (0.8, true),          // week 50, incident 2
        [MemoryGrowthHorizonHours] = (4, false),   // week 50, incident 2: ~100 MB/h against 2 GB
        [RedisMemoryRatio] = (0.75, true),         // week 49, action 1
        [RedisEvictionsPerSecond] = (100, false),  // week 49, action 2
        [LoginSpikeFactor] = (3, false),           // week 49, action 4
        [MinRequestRate] = (1, false),             // requests (or operations) per second below which latency and rate alerts stay quiet
        [MinLoginRate] = (0.2, false),             // logins per second below which LoginRateSpike stays quiet
    };
}
