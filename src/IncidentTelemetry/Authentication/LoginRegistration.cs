using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentTelemetry.Authentication;

/// <summary>What this signal registers in the container when <c>AddIncidentTelemetry()</c> runs.</summary>
internal static class LoginRegistration
{
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);

        // The meter owner, injectable as ILoginTelemetry and used by WithLoginTelemetry(...).
        services.TryAddSingleton<LoginMetrics>();
        services.TryAddSingleton<ILoginTelemetry>(static sp => sp.GetRequiredService<LoginMetrics>());
    }
}
