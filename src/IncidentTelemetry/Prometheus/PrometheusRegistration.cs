using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Prometheus;

/// <summary>Registers the Prometheus exporter, its reader and the <c>/metrics</c> endpoint.</summary>
internal static class PrometheusRegistration
{
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton(sp => new PrometheusExporter(sp.GetRequiredService<IOptions<IncidentTelemetryOptions>>().Value.MetricsEndpoint.ResponseCacheDuration));
        services.TryAddSingleton(sp => new MetricsEndpointHandler(sp.GetRequiredService<PrometheusExporter>(), sp, sp.GetRequiredService<IOptions<IncidentTelemetryOptions>>()));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, MetricsEndpointStartupFilter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ManagementServer>());
    }

    public static void AddReader(MeterProviderBuilder metrics)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        metrics.AddReader(sp => new BaseExportingMetricReader(sp.GetRequiredService<PrometheusExporter>())
        {
            TemporalityPreference = MetricReaderTemporalityPreference.Cumulative,
        });
    }
}
