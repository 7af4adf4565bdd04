using System.Reflection;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// Decides, once, when the MeterProvider is built (so after every registration of the app, whatever their order),
/// whether the library's own Prometheus exporter is added: only when the endpoint is enabled and no registration of
/// the app's adds one. An app registration adds one when its provider configuration reaches code of the exporter
/// package (what <c>AddPrometheusExporter()</c> leaves in the container is such a configuration and nothing else).
/// </summary>
internal sealed class ExporterGate(IServiceCollection services)
{
    private static readonly Assembly ExporterAssembly = typeof(PrometheusAspNetCoreOptions).Assembly;
    private readonly Lock sync = new();
    private bool? useOwn;

    /// <summary>The descriptors the library's own exporter registration added.</summary>
    public HashSet<ServiceDescriptor> Own { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>Whether the app registered a Prometheus exporter of its own (known once the provider is built).</summary>
    public bool AppHasExporter { get; private set; }

    public bool UseOwnExporter(IServiceProvider provider)
    {
        lock (this.sync)
        {
            if (this.useOwn is { } decided)
            {
                return decided;
            }

            this.AppHasExporter = this.AppRegisteredExporter();
            var enabled = provider.GetService<IOptions<IncidentTelemetryOptions>>()?.Value.MetricsEndpoint.Enabled ?? true;
            this.useOwn = enabled && !this.AppHasExporter;
            return this.useOwn.Value;
        }
    }

    private bool AppRegisteredExporter()
    {
        foreach (var descriptor in services)
        {
            if (descriptor.ServiceType.FullName == "OpenTelemetry.Metrics.IConfigureMeterProviderBuilder"
                && !descriptor.IsKeyedService
                && !this.Own.Contains(descriptor)
                && Reaches(descriptor.ImplementationInstance, depth: 0, new HashSet<object>(ReferenceEqualityComparer.Instance)))
            {
                return true;
            }
        }

        return false;
    }

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

/// <summary>
/// A builder that passes everything on to the app's, except that the deferred configurations registered through it
/// (the exporter package's reader) run only when <see cref="ExporterGate"/> lets them.
/// </summary>
internal sealed class GatedMeterProviderBuilder(MeterProviderBuilder inner, ExporterGate gate) : MeterProviderBuilder, IDeferredMeterProviderBuilder
{
    public override MeterProviderBuilder AddInstrumentation<TInstrumentation>(Func<TInstrumentation> instrumentationFactory)
    {
        inner.AddInstrumentation(instrumentationFactory);
        return this;
    }

    public override MeterProviderBuilder AddMeter(params string[] names)
    {
        inner.AddMeter(names);
        return this;
    }

    public MeterProviderBuilder Configure(Action<IServiceProvider, MeterProviderBuilder> configure)
    {
        var deferred = inner as IDeferredMeterProviderBuilder
            ?? throw new NotSupportedException("The Prometheus exporter needs a builder of the OpenTelemetry SDK.");
        deferred.Configure((sp, builder) =>
        {
            if (gate.UseOwnExporter(sp))
            {
                configure(sp, builder);
            }
        });
        return this;
    }
}
