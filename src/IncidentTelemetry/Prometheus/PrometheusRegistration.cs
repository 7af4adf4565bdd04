using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// Registers the scraping endpoint's services (<see cref="AddServices"/>, a row in <see cref="Internal.Signals"/>, so
/// both entry points have the plan that keeps scrapes out of the latency histogram) and, for
/// <c>AddIncidentTelemetry()</c> only, the library's gated Prometheus exporter (<see cref="AddExporter"/>). What is
/// served, where and by whose exporter is <see cref="ScrapeEndpointPlan"/>'s decision.
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
    /// Asks for the endpoint and adds the library's exporter to <paramref name="metrics"/>, gated: when the provider is
    /// built, the reader is added only if <see cref="ScrapeEndpointPlan.Exporter"/> is the library's (the endpoint is
    /// enabled, there is somewhere to serve it, and the app registered no Prometheus exporter).
    /// </summary>
    public static void AddExporter(MeterProviderBuilder metrics, IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(metrics);
        ArgumentNullException.ThrowIfNull(services);

        var registration = new LibraryEndpointRegistration(services);
        var before = services.Count;
        services.AddSingleton(registration);
        services.AddSingleton<IPostConfigureOptions<PrometheusAspNetCoreOptions>>(new ExporterOptionsObserver(registration));
        services.AddOptions<PrometheusAspNetCoreOptions>(OptionsName)
            .Configure<ScrapeEndpointPlan>(static (exporter, plan) =>
            {
                exporter.ScrapeEndpointPath = plan.Endpoint.Path;
                exporter.ScrapeResponseCacheDurationMilliseconds = (int)plan.Endpoint.ResponseCacheDuration.TotalMilliseconds;
            });

        new GatedMeterProviderBuilder(metrics).AddPrometheusExporter(OptionsName, configure: null);
        for (var i = before; i < services.Count; i++)
        {
            registration.Own.Add(services[i]);
        }
    }
}
