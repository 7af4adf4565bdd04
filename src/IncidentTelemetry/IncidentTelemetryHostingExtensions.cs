using IncidentTelemetry.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IncidentTelemetry;

/// <summary>The one line a service adds at startup.</summary>
public static class IncidentTelemetryHostingExtensions
{
    /// <summary>
    /// Turns on every incident signal: the built-in ASP.NET Core, HttpClient, runtime and Identity
    /// meters, the library's own meters (connection pool, session payloads, logins, dependency names,
    /// memory limit and uptime), and the Prometheus endpoint. Options bind from the
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

        var services = builder.Services;
        if (services.Any(static d => d.ServiceType == typeof(IncidentTelemetryMarker)))
        {
            // A second call only adds its delegate; everything else is registered once.
            if (configure is not null)
            {
                services.Configure(configure);
            }

            return builder;
        }

        services.AddSingleton<IncidentTelemetryMarker>();

        var section = builder.Configuration.GetSection(IncidentTelemetryOptions.SectionName);
        var optionsBuilder = services.AddOptions<IncidentTelemetryOptions>()
            .Bind(section, static binder => binder.ErrorOnUnknownConfiguration = true);
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        optionsBuilder.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IncidentTelemetryOptions>, IncidentTelemetryOptionsValidator>());

        services.AddMetrics();
        AddSignalServices(services);

        var applicationName = builder.Environment.ApplicationName;
        new IncidentOpenTelemetryBuilder(services).WithMetrics(metrics =>
        {
            metrics.ConfigureResource(resource => resource.AddDetector(sp =>
                new ServiceResourceDetector(sp.GetRequiredService<IOptions<IncidentTelemetryOptions>>().Value, applicationName)));

            if (metrics is IDeferredMeterProviderBuilder deferred)
            {
                deferred.Configure(static (sp, m) =>
                {
                    var options = sp.GetRequiredService<IOptions<IncidentTelemetryOptions>>().Value;
                    m.AddIncidentTelemetryInstrumentation(options.CardinalityLimit);
                    if (options.AdditionalMeters.Count > 0)
                    {
                        m.AddMeter([.. options.AdditionalMeters]);
                    }
                });
            }

            Prometheus.PrometheusRegistration.AddReader(metrics);
        });

        // Build the provider when the host starts; Extensions.Hosting would, but cannot be restored here.
        services.Insert(0, ServiceDescriptor.Singleton<IHostedService, MeterProviderStartup>());
        return builder;
    }

    /// <summary>Registers what each signal needs in the container (decorators, enrichment, meter owners).</summary>
    internal static void AddSignalServices(IServiceCollection services)
    {
        Database.DatabaseRegistration.AddServices(services);
        Caching.CacheRegistration.AddServices(services);
        Authentication.LoginRegistration.AddServices(services);
        Http.DependencyRegistration.AddServices(services);
        Memory.MemoryRegistration.AddServices(services);
        Prometheus.PrometheusRegistration.AddServices(services);
    }

    /// <summary>Marks a container that already has IncidentTelemetry, so that a second call adds nothing twice.</summary>
    private sealed class IncidentTelemetryMarker;
}
