using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry.Authentication;

/// <summary>What this signal registers in the container when <c>AddIncidentTelemetry()</c> runs.</summary>
internal static class LoginRegistration
{
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
    }
}
