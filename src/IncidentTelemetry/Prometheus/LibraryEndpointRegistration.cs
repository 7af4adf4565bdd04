using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using OpenTelemetry.Exporter;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Prometheus;

/// <summary>
/// What <c>AddIncidentTelemetry()</c> registered for its endpoint: its presence in the container is what asks for an
/// endpoint at all (<see cref="ScrapeEndpointPlan.Requested"/>). It keeps the container's registrations and which of
/// them are the library's own, so that <see cref="ScrapeEndpointPlan"/> can tell the app's exporter from the library's.
/// </summary>
internal sealed class LibraryEndpointRegistration(IServiceCollection services)
{
    /// <summary>The container's registrations (complete once the provider is built).</summary>
    public IServiceCollection Services => services;

    /// <summary>The descriptors the library's own exporter registration added.</summary>
    public HashSet<ServiceDescriptor> Own { get; } = new(ReferenceEqualityComparer.Instance);

    /// <summary>The names of exporter options other than the library's that were created so far: an exporter of the app's asked for them.</summary>
    public ConcurrentDictionary<string, bool> AppOptionsNames { get; } = new(StringComparer.Ordinal);
}

/// <summary>
/// Records each <see cref="PrometheusAspNetCoreOptions"/> the container creates under a name other than the library's:
/// every <c>AddPrometheusExporter()</c> asks for its options when its reader is built, through the public options
/// pipeline, so an exporter of the app's registered before the library's is known when the library's is decided.
/// </summary>
internal sealed class ExporterOptionsObserver(LibraryEndpointRegistration registration) : IPostConfigureOptions<PrometheusAspNetCoreOptions>
{
    public void PostConfigure(string? name, PrometheusAspNetCoreOptions options)
    {
        if (name != PrometheusRegistration.OptionsName)
        {
            registration.AppOptionsNames[name ?? Options.DefaultName] = true;
        }
    }
}

/// <summary>
/// A builder that passes everything on to the app's, except that the deferred configurations registered through it
/// (the exporter package's reader) run only when <see cref="ScrapeEndpointPlan.Exporter"/> is the library's. It uses
/// only the SDK's public builder interfaces.
/// </summary>
internal sealed class GatedMeterProviderBuilder(MeterProviderBuilder inner) : MeterProviderBuilder, IDeferredMeterProviderBuilder
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
            if (sp.GetService<ScrapeEndpointPlan>()?.Exporter == ScrapeExporter.Library)
            {
                configure(sp, builder);
            }
        });
        return this;
    }
}
