using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IncidentTelemetry.Internal;

/// <summary>
/// The resource of the MeterProvider, lowest precedence first: the library's defaults (application name,
/// <c>{host}-{pid}</c>, entry assembly version), then the SDK's own attributes, then the standard environment
/// (<c>OTEL_RESOURCE_ATTRIBUTES</c>, then <c>OTEL_SERVICE_NAME</c>), then the library's service options that the app
/// set explicitly, then whatever the app's own <c>ConfigureResource</c>/<c>AddService</c> adds. Registered as the
/// first configuration of the provider (see <see cref="IncidentTelemetryHostingExtensions"/>), so that everything the
/// app configures comes after it and wins.
/// </summary>
internal sealed class ResourceDefaults(string? applicationName)
{
    /// <summary>
    /// Registers the defaults as the first configuration of the container's MeterProvider. A null
    /// <paramref name="applicationName"/> (services registered without an application builder) is read from the
    /// host's <see cref="IHostEnvironment"/> when the provider is built, else from the entry assembly.
    /// </summary>
    public static void AddFirst(IServiceCollection services, string? applicationName)
    {
        var defaults = new ResourceDefaults(applicationName);
        var before = services.Count;
        services.ConfigureOpenTelemetryMeterProvider(defaults.ConfigureBuilder);
        var added = services.Skip(before).ToArray();
        for (var i = 0; i < added.Length; i++)
        {
            services.Remove(added[i]);
            services.Insert(i, added[i]);
        }
    }

    private void ConfigureBuilder(IServiceProvider serviceProvider, MeterProviderBuilder meterProviderBuilder)
    {
        var options = serviceProvider.GetService<IOptions<IncidentTelemetryOptions>>()?.Value ?? new IncidentTelemetryOptions();
        meterProviderBuilder.ConfigureResource(resource => resource
            .Clear()
            .AddDetector(new LibraryDefaultsDetector(applicationName
                ?? serviceProvider.GetService<IHostEnvironment>()?.ApplicationName
                ?? Assembly.GetEntryAssembly()?.GetName().Name
                ?? "unknown_service"))
            .AddTelemetrySdk()
            .AddEnvironmentVariableDetector()
            .AddDetector(new ExplicitOptionsDetector(options)));
    }

    /// <summary>What the library assumes when nobody says otherwise.</summary>
    internal sealed class LibraryDefaultsDetector(string applicationName) : IResourceDetector
    {
        public Resource Detect()
        {
            var attributes = new List<KeyValuePair<string, object>>(3)
            {
                new(MetricsConstants.ServiceNameAttribute, applicationName),
                new(MetricsConstants.ServiceInstanceIdAttribute, DefaultInstanceId()),
            };

            if (DefaultVersion() is { } version)
            {
                attributes.Add(new(MetricsConstants.ServiceVersionAttribute, version));
            }

            return new Resource(attributes);
        }
    }

    /// <summary>The service options the app set itself: they count as the app's own configuration.</summary>
    internal sealed class ExplicitOptionsDetector(IncidentTelemetryOptions options) : IResourceDetector
    {
        public Resource Detect()
        {
            var attributes = new List<KeyValuePair<string, object>>(4);
            Add(attributes, MetricsConstants.ServiceNameAttribute, options.ServiceName);
            Add(attributes, MetricsConstants.ServiceNamespaceAttribute, options.ServiceNamespace);
            Add(attributes, MetricsConstants.ServiceVersionAttribute, options.ServiceVersion);
            Add(attributes, MetricsConstants.ServiceInstanceIdAttribute, options.ServiceInstanceId);
            return new Resource(attributes);
        }

        private static void Add(List<KeyValuePair<string, object>> attributes, string key, string? value)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                attributes.Add(new(key, value));
            }
        }
    }

    internal static string DefaultInstanceId() => $"{Environment.MachineName}-{Environment.ProcessId}";

    private static string? DefaultVersion()
    {
        var assembly = Assembly.GetEntryAssembly();
        var informational = assembly?.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (informational is not null)
        {
            // Drop the source revision SourceLink appends ("1.2.3+abcdef"): it would make every build a new series.
            var plus = informational.IndexOf('+', StringComparison.Ordinal);
            return plus > 0 ? informational[..plus] : informational;
        }

        return assembly?.GetName().Version?.ToString();
    }
}
