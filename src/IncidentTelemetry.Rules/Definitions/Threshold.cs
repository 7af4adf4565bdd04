namespace IncidentTelemetry.Rules.Definitions;

/// <summary>
/// The threshold keys a service's <c>thresholds:</c> section accepts, with their defaults (from the incident
/// reviews, docs/incidents.md) and the range a value must be in. The <c>min…Rate</c> keys are the traffic floors:
/// below them an alert computed from a rate stays quiet, because a handful of events say nothing.
/// </summary>
internal static class Threshold
{
    public const string PoolUtilisationWarning = "poolUtilisationWarning";
    public const string PoolUtilisationCritical = "poolUtilisationCritical";
    public const string PoolQueueingShare = "poolQueueingShare";
    public const string PoolWaitSeconds = "poolWaitSeconds";
    public const string TrafficSpikeFactor = "trafficSpikeFactor";
    public const string RequestRateZScore = "requestRateZScore";
    public const string ServiceP95Seconds = "serviceP95Seconds";
    public const string EndpointP95Seconds = "endpointP95Seconds";
    public const string SlowRouteP95Seconds = "slowRouteP95Seconds";
    public const string QueryP95Seconds = "queryP95Seconds";
    public const string DependencyP95Seconds = "dependencyP95Seconds";
    public const string MemoryLimitRatio = "memoryLimitRatio";
    public const string MemoryGrowthHorizonHours = "memoryGrowthHorizonHours";
    public const string RedisMemoryRatio = "redisMemoryRatio";
    public const string RedisEvictionsPerSecond = "redisEvictionsPerSecond";
    public const string LoginSpikeFactor = "loginSpikeFactor";
    public const string MinRequestRate = "minRequestRate";
    public const string MinOperationRate = "minOperationRate";
    public const string MinAcquisitionRate = "minAcquisitionRate";
    public const string MinLoginRate = "minLoginRate";

    /// <summary>Every key with its default and whether it is a ratio (0 &lt; value ≤ 1) or any positive number.</summary>
    public static readonly IReadOnlyDictionary<string, (double Default, bool Ratio)> All = new Dictionary<string, (double, bool)>(StringComparer.Ordinal)
    {
        [PoolUtilisationWarning] = (0.75, true),   // w50-1: "at 75 %" (>=)
        [PoolUtilisationCritical] = (0.90, true),  // w50-1: "at 90 %" (>=)
        [PoolQueueingShare] = (0.1, true),         // share of acquisitions that waited longer than 10 ms
        [PoolWaitSeconds] = (0.1, false),          // w49-2: mean wait above 100 ms
        [TrafficSpikeFactor] = (2, false),         // w50-1: the spike was 3x; warn at 2x
        [RequestRateZScore] = (3, false),          // w50-3
        [ServiceP95Seconds] = (0.5, false),        // w50-3: 50 ms normally, 2 s in the incident
        [EndpointP95Seconds] = (0.5, false),       // w50-3
        [SlowRouteP95Seconds] = (2.5, false),      // routes slow by design (issue 20: checkout ~1.5 s, payment ~1.8 s normally); a bucket boundary
        [QueryP95Seconds] = (0.5, false),          // w49-2: above 500 ms for more than 5 minutes
        [DependencyP95Seconds] = (1, false),       // w49-2: above 1 s
        [MemoryLimitRatio] = (0.8, true),          // w50-2: "at 80 %" (>=)
        [MemoryGrowthHorizonHours] = (24, false),  // w50-2: ~100 MB/h fills 2 GB in 20 h; a growth that fills the limit within a day
        [RedisMemoryRatio] = (0.75, true),         // w49-1: above 75 % of maxmemory
        [RedisEvictionsPerSecond] = (100, false),  // w49-1: above 100 per second
        [LoginSpikeFactor] = (3, false),           // w49-1: above 3x normal for more than 2 minutes
        [MinRequestRate] = (0.1, false),           // floor: requests per second (6 a minute) for the request latency and rate alerts
        [MinOperationRate] = (0.1, false),         // floor: database operations per second for DatabaseQueryLatencyP95High
        [MinAcquisitionRate] = (0.1, false),       // floor: pool acquisitions per second for ConnectionPoolWaitHigh
        [MinLoginRate] = (0.05, false),            // floor: login attempts per second (3 a minute) for LoginRateSpike
    };
}
