using System.Data.Common;
using System.Diagnostics.Metrics;
using IncidentTelemetry.Caching;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry.Testing;

/// <summary>
/// Decorates a data source or a cache as the library's registrations do, each in a container of its own (the
/// library has no process-wide meter). The container lives as long as the test process; the meters' names are the
/// library's, so a listener by meter name sees them.
/// </summary>
public static class TestTelemetry
{
    /// <summary>What <c>AddIncidentTelemetryDataSource(_ => inner, poolName)</c> resolves; disposing it disposes <paramref name="inner"/>.</summary>
    public static DbDataSource WithTestTelemetry(this DbDataSource inner, string poolName)
        => inner.WithTestTelemetry(poolName, out _);

    /// <summary>The same, with the container's <see cref="IMeterFactory"/> for collectors that see only this pool.</summary>
    public static DbDataSource WithTestTelemetry(this DbDataSource inner, string poolName, out IMeterFactory meters)
    {
        var services = new ServiceCollection()
            .AddIncidentTelemetryDataSource(_ => inner, poolName)
            .BuildServiceProvider();
        meters = services.GetRequiredService<IMeterFactory>();
        return services.GetRequiredService<DbDataSource>();
    }

    /// <summary>What <c>AddIncidentTelemetryDistributedCache(cacheName)</c> resolves over a cache instance.</summary>
    public static IDistributedCache WithTestTelemetry(this IDistributedCache inner, string cacheName)
        => new ServiceCollection()
            .AddSingleton(inner)
            .AddIncidentTelemetryDistributedCache(cacheName)
            .BuildServiceProvider()
            .GetRequiredService<IDistributedCache>();
}
