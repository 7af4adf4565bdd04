using OpenTelemetry;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Benchmarks;

/// <summary>
/// A real MeterProvider listening to the library's meters, as in a service: instruments are enabled, so
/// the benchmarks measure the cost of recording, not of a disabled fast path.
/// </summary>
internal static class MetricsListening
{
    public static MeterProvider Start()
        => Sdk.CreateMeterProviderBuilder().AddIncidentTelemetryInstrumentation().Build()!;
}
