using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry.Caching;

/// <summary>What this signal registers in the container when <c>AddIncidentTelemetry()</c> runs.</summary>
internal static class CacheRegistration
{
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
    }
}
