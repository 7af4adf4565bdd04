using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// Registers OpenTelemetry's Prometheus exporter (unless the app registered one itself) and the endpoint that
/// serves it with the library's guards: the app's port or a management port, allowed networks, authorization policy.
/// Its <see cref="AddServices"/> is a row in <see cref="Internal.Signals"/>; the file stays because the exporter
/// gating (<see cref="AddExporter"/>) is real logic.
/// </summary>
internal static class PrometheusRegistration
{
    /// <summary>The name of the library's own exporter options, so that the app's (default) options stay its own.</summary>
    public const string OptionsName = "IncidentTelemetry";

    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        services.TryAddSingleton<ScrapeEndpointPlan>();
        services.TryAddSingleton<ScrapeGuard>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IStartupFilter, MetricsEndpointStartupFilter>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, ManagementServer>());
    }

    /// <summary>
    /// Adds the library's exporter to <paramref name="metrics"/>, gated: when the provider is built, the reader is
    /// added only if the endpoint is enabled and no other registration of the container adds a Prometheus exporter.
    /// </summary>
    public static void AddExporter(MeterProviderBuilder metrics, IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(services);

        services.AddOptions<PrometheusAspNetCoreOptions>(OptionsName)
            .Configure<IOptions<IncidentTelemetryOptions>>(static (exporter, library) =>
            {
                var endpoint = library.Value.MetricsEndpoint;
                exporter.ScrapeEndpointPath = endpoint.Path;
                exporter.ScrapeResponseCacheDurationMilliseconds = (int)endpoint.ResponseCacheDuration.TotalMilliseconds;
            });

        var before = services.Count;
        var gate = new ExporterGate(services);
        new GatedMeterProviderBuilder(metrics, gate).AddPrometheusExporter(OptionsName, configure: null);
        for (var i = before; i < services.Count; i++)
        {
            gate.Own.Add(services[i]);
        }

        services.AddSingleton(gate);
    }
}
