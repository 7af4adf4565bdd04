using System.Diagnostics.Metrics;
using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Internal;

/// <summary>
/// The only place where the library reads what OpenTelemetry does not publish, for the two questions no public
/// surface answers: (1) whether a plain <c>AddPrometheusExporter()</c> of the app, registered after the library,
/// adds a reader (it leaves only a configuration callback in the container), and (2) which views the app added (the
/// SDK keeps them in its builder's <c>ViewConfigs</c> list). Each answer says whether it could be read; the callers log
/// through the app's logger when it could not, and act as documented in docs/configuration.md. SdkFallbackTests fail
/// on the OpenTelemetry release that changes either layout.
/// </summary>
internal static class SdkFallback
{
    private static readonly Assembly ExporterAssembly = typeof(PrometheusAspNetCoreOptions).Assembly;

    /// <summary>The SDK's (internal) interface of the callbacks <c>WithMetrics(...)</c> registers, matched by name here alone.</summary>
    private const string ConfigureCallbackType = "OpenTelemetry.Metrics.IConfigureMeterProviderBuilder";

    /// <summary>
    /// Whether a provider configuration of the container other than <paramref name="own"/> reaches code of the
    /// Prometheus exporter package (what <c>AddPrometheusExporter()</c> leaves is such a callback and nothing else).
    /// <paramref name="readable"/> is false when the callbacks could not be looked into.
    /// </summary>
    public static bool RegistersPrometheusExporter(IServiceCollection services, IReadOnlySet<ServiceDescriptor> own, out bool readable)
    {
        readable = false;
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType.FullName != ConfigureCallbackType || descriptor.IsKeyedService)
            {
                continue;
            }

            // The SDK wraps each callback in an object of its own that holds the delegate in a private field.
            if (descriptor.ImplementationInstance is { } wrapper && HasDelegateField(wrapper))
            {
                readable = true;
            }

            if (!own.Contains(descriptor) && Reaches(descriptor.ImplementationInstance, depth: 0, new HashSet<object>(ReferenceEqualityComparer.Instance)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The views of <paramref name="builder"/> (complete once the provider measures), or null where this SDK keeps them elsewhere.</summary>
    public static IReadOnlyList<Func<Instrument, MetricStreamConfiguration?>>? Views(MeterProviderBuilder builder)
        => builder.GetType().GetProperty("ViewConfigs")?.GetValue(builder) as IReadOnlyList<Func<Instrument, MetricStreamConfiguration?>>;

    private static bool HasDelegateField(object wrapper)
        => wrapper.GetType().GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)
            .Any(static f => typeof(Delegate).IsAssignableFrom(f.FieldType));

    /// <summary>Whether a configuration callback (an object holding delegates, closures holding delegates) reaches code of the exporter package.</summary>
    private static bool Reaches(object? value, int depth, HashSet<object> seen)
    {
        if (value is null || depth > 6 || value is string || value is IServiceProvider || value is IServiceCollection || !seen.Add(value))
        {
            return false;
        }

        if (value is Delegate callback)
        {
            foreach (var single in callback.GetInvocationList())
            {
                if (single.Method.DeclaringType?.Assembly == ExporterAssembly || Reaches(single.Target, depth + 1, seen))
                {
                    return true;
                }
            }

            return false;
        }

        var type = value.GetType();
        if (type.IsPrimitive || type.IsEnum || type.IsArray)
        {
            return false;
        }

        if (type.Assembly == ExporterAssembly)
        {
            return true;
        }

        for (var t = type; t is not null && t != typeof(object); t = t.BaseType)
        {
            foreach (var field in t.GetFields(BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            {
                if (!field.FieldType.IsValueType && Reaches(field.GetValue(value), depth + 1, seen))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
