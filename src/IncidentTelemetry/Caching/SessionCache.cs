using Microsoft.Extensions.Caching.Distributed;

namespace IncidentTelemetry.Caching;

/// <summary>
/// The app's <see cref="IDistributedCache"/> as the session store uses it: decorated as <c>sessions</c>, once, unless
/// the app already decorated it itself.
/// </summary>
internal sealed class SessionCache(IDistributedCache cache, CacheMetrics metrics)
{
    /// <summary>The value of <c>incident.cache.name</c> for the session store.</summary>
    public const string Name = "sessions";

    public IDistributedCache Cache { get; } = cache is TelemetryDistributedCache ? cache : TelemetryDistributedCache.Create(cache, Name, metrics);
}
