using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry.Database;

/// <summary>What this signal registers in the container when <c>AddIncidentTelemetry()</c> runs.</summary>
internal static class DatabaseRegistration
{
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
    }
}
