using OpenTelemetry.Metrics;

namespace SampleShop;

/// <summary>
/// The middle build: OpenTelemetry's SDK listening to the meters ASP.NET Core and the runtime publish
/// anyway, with their default buckets and limits, served by OpenTelemetry's Prometheus exporter (the same one the
/// library uses), and nothing else of the library (no own meters, views, resource defaults or option validation).
/// It is what a team would have with plain OpenTelemetry and a Prometheus exporter.
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
        => services.AddOpenTelemetry().WithMetrics(metrics => metrics.AddMeter(Meters).AddPrometheusExporter());

    public static void Map(WebApplication app) => app.MapPrometheusScrapingEndpoint();
}
