using System.Diagnostics.Metrics;
using IncidentTelemetry.Internal;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Tests.Internal;

/// <summary>
/// The library's only reads of OpenTelemetry internals (<see cref="SdkFallback"/>). These tests fail on the
/// OpenTelemetry release that moves what they read, before an app finds out: then the app's exporter is no longer
/// found when registered plainly after the library, or the library's latency view no longer yields to the app's.
/// </summary>
public sealed class SdkFallbackTests
{
    [Fact]
    public void RegistersPrometheusExporter_PlainAddPrometheusExporter_FoundAndReadable()
    {
        var services = new ServiceCollection();
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter("checkout").AddPrometheusExporter());

        var found = SdkFallback.RegistersPrometheusExporter(services, new HashSet<ServiceDescriptor>(), out var readable);

        Assert.True(readable, "this OpenTelemetry version keeps its provider callbacks where the fallback cannot read them");
        Assert.True(found, "a plain AddPrometheusExporter() was not found");
    }

    [Fact]
    public void RegistersPrometheusExporter_OtlpOnlyApp_NotFoundButReadable()
    {
        var services = new ServiceCollection();
        services.AddOpenTelemetry().WithMetrics(m => m.AddMeter("checkout")).UseOtlpExporter();

        var found = SdkFallback.RegistersPrometheusExporter(services, new HashSet<ServiceDescriptor>(), out var readable);

        Assert.True(readable);
        Assert.False(found, "an OTLP exporter was taken for a Prometheus one");
    }

    [Fact]
    public void RegistersPrometheusExporter_OnlyTheLibrarysOwn_NotFound()
    {
        var services = new ServiceCollection();
        var before = services.Count;
        services.AddOpenTelemetry().WithMetrics(m => m.AddPrometheusExporter());
        var own = new HashSet<ServiceDescriptor>(services.Skip(before), ReferenceEqualityComparer.Instance);

        Assert.False(SdkFallback.RegistersPrometheusExporter(services, own, out _));
    }

    [Fact]
    public void Views_ProviderBuilder_ListsTheAppsViews()
    {
        IReadOnlyList<Func<Instrument, MetricStreamConfiguration?>>? views = null;
        var services = new ServiceCollection();
        services.AddOpenTelemetry().WithMetrics(m =>
        {
            m.AddView("checkout.duration", new ExplicitBucketHistogramConfiguration { Boundaries = [0.1, 1] });
            ((IDeferredMeterProviderBuilder)m).Configure((_, builder) => views = SdkFallback.Views(builder));
        });

        using var provider = services.BuildServiceProvider();
        _ = provider.GetRequiredService<MeterProvider>();

        Assert.NotNull(views);
        Assert.NotEmpty(views);
    }
}
