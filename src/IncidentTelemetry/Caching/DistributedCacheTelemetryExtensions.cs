using IncidentTelemetry.Caching;
using IncidentTelemetry.Internal;
using Microsoft.Extensions.Caching.Distributed;

namespace IncidentTelemetry;

/// <summary>Adds the session-payload signal to any <see cref="IDistributedCache"/>.</summary>
public static class DistributedCacheTelemetryExtensions
{
    /// <summary>
    /// Returns a cache that forwards every call to <paramref name="cache"/> and reports, on the meter
    /// <c>IncidentTelemetry.Caching</c> with <c>incident.cache.name</c> = <paramref name="cacheName"/> and
    /// <c>incident.cache.operation</c> (read, write, refresh, remove): <c>incident.cache.payload.size</c> (bytes of each
    /// value read or written) and <c>incident.cache.operation.duration</c> (failures with <c>error.type</c>, then
    /// rethrown unchanged). The key is never recorded. The returned cache also implements
    /// <see cref="IBufferDistributedCache"/> when <paramref name="cache"/> does.
    /// </summary>
    /// <remarks>
    /// Apps that use ASP.NET Core session need not call this: <c>AddIncidentTelemetry()</c> decorates the session
    /// store's cache as <c>sessions</c>. Outside a container the meter is a process-wide instance; inside one, prefer
    /// <c>services.AddIncidentTelemetryDistributedCache(...)</c>, which takes the meter from <c>IMeterFactory</c>.
    /// The returned cache does not dispose <paramref name="cache"/>.
    /// </remarks>
    /// <param name="cache">The app's cache, for example a Redis cache.</param>
    /// <param name="cacheName">A short, stable name such as <c>sessions</c>: at most 64 characters among a-z, 0-9, '-', '_' and '.'.</param>
    /// <returns>The decorated cache.</returns>
    /// <exception cref="ArgumentException"><paramref name="cacheName"/> is not such a name, or the cache is already decorated.</exception>
    public static IDistributedCache WithIncidentTelemetry(this IDistributedCache cache, string cacheName)
    {
        ArgumentNullException.ThrowIfNull(cache);
        NameValidator.Validate(cacheName, nameof(cacheName), "incident_cache_name");
        return cache is TelemetryDistributedCache
            ? throw new ArgumentException("The cache already reports the session-payload signal.", nameof(cache))
            : TelemetryDistributedCache.Create(cache, cacheName, CacheMetrics.Shared);
    }
}
