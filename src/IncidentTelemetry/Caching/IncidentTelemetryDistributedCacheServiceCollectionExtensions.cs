using IncidentTelemetry.Caching;
using IncidentTelemetry.Internal;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry;

/// <summary>Decorates the container's <see cref="IDistributedCache"/>.</summary>
public static class IncidentTelemetryDistributedCacheServiceCollectionExtensions
{
    /// <summary>
    /// Replaces the <see cref="IDistributedCache"/> registered so far (for example by <c>AddDistributedMemoryCache()</c>
    /// or a Redis cache) with the same cache decorated: it forwards every call and reports, on the meter
    /// <c>IncidentTelemetry.Caching</c> (from the container's <c>IMeterFactory</c>) with <c>incident.cache.name</c> =
    /// <paramref name="cacheName"/> and <c>incident.cache.operation</c> (read, write, refresh, remove):
    /// <c>incident.cache.payload.size</c> (bytes of each value read or written) and
    /// <c>incident.cache.operation.duration</c> (failures with <c>error.type</c>, then rethrown unchanged). The key is
    /// never recorded. The decorated cache also implements <see cref="IBufferDistributedCache"/> when the cache does.
    /// Call it after the cache registration. The session store then reuses this decorated cache instead of
    /// decorating it again.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="cacheName">A short, stable name such as <c>shared-cache</c>: at most 64 characters among a-z, A-Z, 0-9, '-', '_' and '.'
    /// (docs/configuration.md, "Names").</param>
    /// <returns>The same services, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="cacheName"/> is not such a name.</exception>
    /// <exception cref="InvalidOperationException">No <see cref="IDistributedCache"/> is registered yet.</exception>
    public static IServiceCollection AddIncidentTelemetryDistributedCache(this IServiceCollection services, string cacheName)
    {
        ArgumentNullException.ThrowIfNull(services);
        NameValidator.Validate(cacheName, nameof(cacheName), MetricsConstants.CacheNameAttribute);

        var index = -1;
        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(IDistributedCache) && !services[i].IsKeyedService)
            {
                index = i;
                break;
            }
        }

        if (index < 0)
        {
            throw new InvalidOperationException(
                "AddIncidentTelemetryDistributedCache found no IDistributedCache to decorate: register the cache first (for example AddDistributedMemoryCache()).");
        }

        var original = services[index];
        CacheRegistration.AddMetrics(services);
        services[index] = ServiceDescriptor.Describe(
            typeof(IDistributedCache),
            sp =>
            {
                var metrics = sp.GetRequiredService<CacheMetrics>();
                if (original.ImplementationInstance is IDistributedCache instance)
                {
                    // The container did not create the instance and does not dispose it; neither does the decorator.
                    return TelemetryDistributedCache.Create(instance, cacheName, metrics);
                }

                var inner = original.ImplementationFactory is { } factory
                    ? (IDistributedCache)factory(sp)
                    : (IDistributedCache)ActivatorUtilities.CreateInstance(sp, original.ImplementationType!);
                return TelemetryDistributedCache.Create(inner, cacheName, metrics, ownsInner: true);
            },
            original.Lifetime);
        return services;
    }
}
