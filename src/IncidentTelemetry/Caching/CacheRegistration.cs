using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.Session;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace IncidentTelemetry.Caching;

/// <summary>
/// What the session-payload signal registers (its row in <see cref="Internal.Signals"/>). A file of its own, unlike the
/// other signals' one-liners on their meter owners, because it holds real logic: putting the decorated cache under
/// ASP.NET Core's session store in either call order.
/// </summary>
internal static class CacheRegistration
{
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        AddMetrics(services);

        // ASP.NET Core session: the session middleware resolves ISessionStore, which AddSession() registers with
        // TryAdd as DistributedSessionStore over the app's IDistributedCache. Registering the same store over the
        // decorated cache works in either call order: before AddSession() its TryAdd keeps ours; after it, ours
        // replaces its registration. A store of the app's own (any other type) is left alone.
        ServiceDescriptor? existing = null;
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType == typeof(ISessionStore) && !descriptor.IsKeyedService)
            {
                existing = descriptor;
            }
        }

        if (existing is not null && existing.ImplementationType != typeof(DistributedSessionStore))
        {
            return;
        }

        for (var i = services.Count - 1; i >= 0; i--)
        {
            if (services[i].ServiceType == typeof(ISessionStore) && !services[i].IsKeyedService)
            {
                services.RemoveAt(i);
            }
        }

        // A factory, not a type: the container's ValidateOnBuild (on in Development) must not demand an
        // IDistributedCache from apps that use no session at all.
        services.TryAddSingleton(static sp => new SessionCache(sp.GetRequiredService<IDistributedCache>(), sp.GetRequiredService<CacheMetrics>()));
        services.AddTransient<ISessionStore>(static sp =>
            new DistributedSessionStore(sp.GetRequiredService<SessionCache>().Cache, sp.GetRequiredService<ILoggerFactory>()));
    }

    /// <summary>The meter owner, shared by the session store and <c>AddIncidentTelemetryDistributedCache</c>.</summary>
    public static void AddMetrics(IServiceCollection services)
    {
        services.AddMetrics();
        services.TryAddSingleton(static sp => new CacheMetrics(sp.GetRequiredService<IMeterFactory>()));
    }
}
