using Microsoft.Extensions.Caching.Distributed;

namespace IncidentTelemetry;

/// <summary>The former way to add the session-payload signal outside a container; kept only to say what replaces it.</summary>
public static class DistributedCacheTelemetryExtensions
{
    /// <summary>The message of the compile-time error on <see cref="WithIncidentTelemetry"/>.</summary>
    internal const string Replacement =
        "The cache meter belongs to the container's IMeterFactory and there is no process-wide one: register the cache " +
        "(for example AddStackExchangeRedisCache(...)) and then call services.AddIncidentTelemetryDistributedCache(\"shared-cache\").";

    /// <summary>
    /// No longer supported: a cache decorated outside a container would need a meter that no container owns and
    /// disposes. Use <see cref="IncidentTelemetryDistributedCacheServiceCollectionExtensions.AddIncidentTelemetryDistributedCache"/>.
    /// Calling it is a compile-time error that names the replacement.
    /// </summary>
    /// <param name="cache">The app's cache.</param>
    /// <param name="cacheName">The cache name.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always, if called through reflection.</exception>
    [Obsolete(Replacement, error: true)]
    public static IDistributedCache WithIncidentTelemetry(this IDistributedCache cache, string cacheName)
        => throw new NotSupportedException(Replacement);
}
