using IncidentTelemetry.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace OpenTelemetry.Metrics;

/// <summary>
/// For apps that already configure OpenTelemetry themselves: adds the library's meters, signals and bucket
/// boundaries to their own <see cref="MeterProviderBuilder"/>.
/// </summary>
public static class IncidentTelemetryMeterProviderBuilderExtensions
{
    /// <summary>
    /// Adds the built-in meters that carry incident signals and the library's own meters (connection pool, session
    /// payloads, logins, dependency names, memory limit and uptime) together with the services that feed them, with
    /// latency buckets that put every alert threshold (100 ms, 500 ms, 1 s, 2 s) on a boundary and a cardinality limit
    /// per instrument (<see cref="IncidentTelemetry.IncidentTelemetryOptions.CardinalityLimit"/>, default 2000). Where the app has a view of its own for an instrument, the app's view wins and
    /// the library adds no second stream. Calling it more than once, or together with <c>AddIncidentTelemetry()</c>,
    /// adds everything once. It adds no exporter and serves no endpoint: the app's own exporters (OTLP, or a Prometheus
    /// exporter whose endpoint the app maps) export these meters, and its warnings go to the app's logger.
    /// </summary>
    /// <param name="builder">The app's meter provider builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static MeterProviderBuilder AddIncidentTelemetryInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);

        var first = true;
        builder.ConfigureServices(services =>
        {
            if (services.Any(static d => d.ServiceType == typeof(InstrumentationMarker)))
            {
                first = false;
                return;
            }

            services.AddSingleton<InstrumentationMarker>();
            services.AddMetrics();
            services.AddOptions();
            services.AddSingleton(static sp => new LibraryLogBridge(sp.GetService<ILoggerFactory>()));
            IncidentTelemetry.IncidentTelemetryHostingExtensions.AddSignalServices(services);
        });

        if (!first)
        {
            return builder;
        }

        builder.AddMeter(MetricsConstants.BuiltInMeters);
        builder.AddMeter(Signals.OwnMeters);

        // The meter owners create their meters when constructed: make them exist as the provider starts, whatever
        // entry point the app used (the provider disposes nothing of theirs; the container owns them).
        builder.AddInstrumentation(static sp => new OwnMeters(sp));
        Deferred(builder).Configure((sp, b) =>
        {
            var options = sp.GetService<IOptions<IncidentTelemetry.IncidentTelemetryOptions>>()?.Value;
            var limit = options?.CardinalityLimit ?? MetricsConstants.DefaultCardinalityLimit;
            if (options is { AdditionalMeters.Count: > 0 })
            {
                b.AddMeter([.. options.AdditionalMeters]);
            }

            ViewArbiter.Attach(sp, b, instrument => IncidentTelemetry.EndpointLatency.HistogramViews.SelectView(instrument, limit));
        });
        return builder;
    }

    private static IDeferredMeterProviderBuilder Deferred(MeterProviderBuilder builder)
        => builder as IDeferredMeterProviderBuilder
            ?? throw new NotSupportedException("AddIncidentTelemetryInstrumentation() needs a builder of the OpenTelemetry SDK (Sdk.CreateMeterProviderBuilder() or services.AddOpenTelemetry().WithMetrics(...)).");

    /// <summary>Marks a container whose provider already has the library's instrumentation.</summary>
    private sealed class InstrumentationMarker;

    /// <summary>Holds the library's meter owners (<see cref="Signals.MeterOwners"/>) for the provider's lifetime.</summary>
    private sealed class OwnMeters(IServiceProvider services)
    {
        public object[] Owners { get; } = [.. Signals.MeterOwners.Select(services.GetRequiredService)];

        /// <summary>The library's warnings reach the app's logger while the provider runs.</summary>
        public LibraryLogBridge? Log { get; } = services.GetService<LibraryLogBridge>();
    }
}
