using IncidentTelemetry.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry;

/// <summary>The one line a service adds at startup.</summary>
public static class IncidentTelemetryHostingExtensions
{
    /// <summary>
    /// Turns on every incident signal: the built-in ASP.NET Core, HttpClient, runtime and Identity
    /// meters, the library's own meters (connection pool, session payloads, logins, dependency names,
    /// memory limit and uptime), and the Prometheus endpoint (OpenTelemetry's Prometheus exporter). It adds to the
    /// app's own OpenTelemetry configuration (<c>services.AddOpenTelemetry()</c>) in either order: one MeterProvider,
    /// the app's resource and views winning over the library's defaults, the app's own Prometheus exporter or
    /// scraping endpoint used instead of a second one. Options bind from the
    /// <c>IncidentTelemetry</c> configuration section, then from <paramref name="configure"/>, and are
    /// validated when the host starts.
    /// </summary>
    /// <param name="builder">The application builder, for example <c>WebApplication.CreateBuilder(args)</c>.</param>
    /// <param name="configure">Optional changes to the options, applied after configuration.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static IHostApplicationBuilder AddIncidentTelemetry(
        this IHostApplicationBuilder builder,
        Action<IncidentTelemetryOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        Add(builder.Services, builder.Configuration, builder.Environment.ApplicationName, configure);
        return builder;
    }

    /// <summary>Registers what each signal of <see cref="Signals"/> needs in the container (meter owners, decorators, enrichment).</summary>
    internal static void AddSignalServices(IServiceCollection services) => Signals.AddServices(services);

    /// <summary>What both entry points register; <paramref name="applicationName"/> null: read from the host when the provider is built.</summary>
    internal static void Add(IServiceCollection services, IConfiguration configuration, string? applicationName, Action<IncidentTelemetryOptions>? configure)
    {
        if (services.Any(static d => d.ServiceType == typeof(IncidentTelemetryMarker)))
        {
            // A second call only adds its delegate; everything else is registered once.
            if (configure is not null)
            {
                services.Configure(configure);
            }

            return;
        }

        services.AddSingleton<IncidentTelemetryMarker>();

        var section = configuration.GetSection(IncidentTelemetryOptions.SectionName);
        var optionsBuilder = services.AddOptions<IncidentTelemetryOptions>()
            .Bind(section);
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        optionsBuilder.ValidateOnStart();
        // The validator also refuses keys that are no option, naming their full path (the binder's check names only the last part).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IncidentTelemetryOptions>>(new IncidentTelemetryOptionsValidator(section)));

        services.AddMetrics();
        AddSignalServices(services);

        // The library's resource defaults go first among the provider's configurations, so that the standard
        // environment and every ConfigureResource/AddService of the app, before or after this call, win over them.
        ResourceDefaults.AddFirst(services, applicationName);

        // One MeterProvider, the app's: AddOpenTelemetry() adds to whatever the app configures, in either order.
        services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddIncidentTelemetryInstrumentation();
            Prometheus.PrometheusRegistration.AddExporter(metrics, services);
        });
    }

    /// <summary>Marks a container that already has IncidentTelemetry, so that a second call adds nothing twice.</summary>
    private sealed class IncidentTelemetryMarker;
}
