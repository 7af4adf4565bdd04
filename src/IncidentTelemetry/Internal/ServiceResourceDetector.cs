using System.Reflection;
using OpenTelemetry.Resources;

namespace IncidentTelemetry.Internal;

/// <summary>Turns the service options into OpenTelemetry resource attributes (shown on <c>target_info</c>).</summary>
internal sealed class ServiceResourceDetector(IncidentTelemetryOptions options, string applicationName) : IResourceDetector
{
    public Resource Detect()
    {
        var attributes = new List<KeyValuePair<string, object>>(4)
        {
            new("service.name", options.ServiceName ?? applicationName),
            new("service.instance.id", options.ServiceInstanceId ?? DefaultInstanceId()),
        };

        if (options.ServiceNamespace is { } ns)
        {
            attributes.Add(new("service.namespace", ns));
        }

        var version = options.ServiceVersion ?? DefaultVersion();
        if (version is not null)
        {
            attributes.Add(new("service.version", version));
        }

        return new Resource(attributes);
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
