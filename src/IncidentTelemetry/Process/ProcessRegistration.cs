using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentTelemetry.Process;

/// <summary>What this signal registers in the container when <c>AddIncidentTelemetry()</c> runs.</summary>
internal static class ProcessRegistration
{
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // The memory limit and uptime gauges; the working set itself comes from the runtime's System.Runtime meter.
        // The meter provider resolves the owner through AddInstrumentation, so its gauges exist from the first scrape.
        services.TryAddSingleton<ProcessMetrics>();
    }
}
