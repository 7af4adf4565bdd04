using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace IncidentTelemetry.Memory;

/// <summary>What this signal registers in the container when <c>AddIncidentTelemetry()</c> runs.</summary>
internal static class MemoryRegistration
{
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // The memory limit and uptime gauges; the working set itself comes from the runtime's System.Runtime meter.
        services.TryAddSingleton<ProcessMetrics>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ProcessMetricsStartup>());
    }
}
