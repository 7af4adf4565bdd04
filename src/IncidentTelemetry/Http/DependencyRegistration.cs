using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry.Http;

/// <summary>What this signal registers in the container when <c>AddIncidentTelemetry()</c> runs.</summary>
internal static class DependencyRegistration
{
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
    }
}
