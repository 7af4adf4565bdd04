using IncidentTelemetry;
using IncidentTelemetry.Internal;
using IncidentTelemetry.Prometheus;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace SampleShop;

/// <summary>
/// The middle build: OpenTelemetry's SDK listening to the meters ASP.NET Core and the runtime publish
/// anyway, with their default buckets and limits, served by the same Prometheus endpoint, and nothing else
/// of the library (no own meters, views, resource detection or option validation). It is what a team would
/// have with plain OpenTelemetry and a Prometheus exporter.
/// </summary>
internal static class BuiltInOnly
{
    private static readonly string[] Meters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "System.Net.Http",
        "System.Runtime",
    ];

    public static void Add(IServiceCollection services)
    {
        services.AddMetrics();
        services.AddOptions<IncidentTelemetryOptions>();
        new IncidentOpenTelemetryBuilder(services).WithMetrics(metrics =>
        {
            metrics.AddMeter(Meters);
            PrometheusRegistration.AddReader(metrics);
        });
        PrometheusRegistration.AddServices(services);
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MeterProviderStartup>());
    }
}
