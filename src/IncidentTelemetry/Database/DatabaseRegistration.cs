using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentTelemetry.Database;

/// <summary>What this signal registers in the container when <c>AddIncidentTelemetry()</c> runs.</summary>
internal static class DatabaseRegistration
{
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.AddMetrics();

        // The meter owner; data sources registered with AddIncidentTelemetryDataSource report through it.
        services.TryAddSingleton(static sp => new DatabaseMetrics(sp.GetRequiredService<IMeterFactory>()));
    }
}
