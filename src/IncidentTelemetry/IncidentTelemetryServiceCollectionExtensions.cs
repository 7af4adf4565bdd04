using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry;

/// <summary>The one line for apps that register services without an application builder (a <c>Startup</c> class, <c>IHostBuilder.ConfigureServices</c>).</summary>
public static class IncidentTelemetryServiceCollectionExtensions
{
    /// <summary>
    /// The same as <see cref="IncidentTelemetryHostingExtensions.AddIncidentTelemetry(Microsoft.Extensions.Hosting.IHostApplicationBuilder, Action{IncidentTelemetryOptions}?)"/>, for
    /// apps that register services in a <c>Startup.ConfigureServices</c> or <c>IHostBuilder.ConfigureServices</c>
    /// instead of on an application builder. Options bind from the <c>IncidentTelemetry</c> section of
    /// <paramref name="configuration"/>, then from any <c>services.Configure&lt;IncidentTelemetryOptions&gt;(...)</c>;
    /// the default <c>service.name</c> is the host's application name.
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <param name="configuration">The app's configuration (its root, not the <c>IncidentTelemetry</c> section).</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddIncidentTelemetry(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        IncidentTelemetryHostingExtensions.Add(services, configuration, applicationName: null, configure: null);
        return services;
    }
}
