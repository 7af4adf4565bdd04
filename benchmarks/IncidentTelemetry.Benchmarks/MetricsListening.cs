using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// A real MeterProvider listening to the library's meters, as in a service: the library's meters and views, and
/// OpenTelemetry's Prometheus exporter as its reader (without a reader the SDK enables no instrument at all, and a benchmark
/// would measure the disabled fast path). Nobody scrapes, so only the recording is measured.
/// </summary>
internal static class MetricsListening
{
    public static MeterProvider Start()
        => Sdk.CreateMeterProviderBuilder()
            .AddIncidentTelemetryInstrumentation()
            .AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)
            .Build()!;

    /// <summary>Stops a run whose instrument is not in the state the benchmark claims to measure.</summary>
    public static void Require(System.Diagnostics.Metrics.Instrument instrument, bool enabled)
    {
        if (instrument.Enabled != enabled)
        {
            throw new InvalidOperationException($"{instrument.Name} should be {(enabled ? "enabled" : "disabled")} for this benchmark.");
        }
    }
}
