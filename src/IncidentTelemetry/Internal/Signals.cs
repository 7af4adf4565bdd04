using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry.Internal;

/// <summary>
/// The signals of the core library, each once: adding a signal is its folder plus one row here. From this table come
/// the services <c>AddIncidentTelemetry()</c> and <c>AddIncidentTelemetryInstrumentation()</c> register
/// (<see cref="AddServices"/>), the library's meters the provider listens to (<see cref="OwnMeters"/>), and the meter
/// owners the provider resolves when it starts (<see cref="MeterOwners"/>), so that their instruments exist before
/// the first scrape.
/// </summary>
internal static class Signals
{
    /// <summary>One row per signal, in registration order.</summary>
    public static readonly Signal[] All =
    [
        new(MetricsConstants.DatabaseMeterName, typeof(Database.DatabaseMetrics), Database.DatabaseMetrics.AddServices),
        new(MetricsConstants.CacheMeterName, typeof(Caching.CacheMetrics), Caching.CacheRegistration.AddServices),
        new(MetricsConstants.LoginMeterName, typeof(Authentication.LoginMetrics), Authentication.LoginMetrics.AddServices),
        new(MetricsConstants.ProcessMeterName, typeof(Process.ProcessMetrics), Process.ProcessMetrics.AddServices),

        // Dependency latency: the runtime's System.Net.Http meter, enriched with peer.service; no meter of its own.
        new(MeterName: null, MeterOwner: null, Http.PeerServiceHandlerBuilderFilter.AddServices),

        // The scrape endpoint, which every signal reaches the scraper through.
        new(MeterName: null, MeterOwner: null, Prometheus.PrometheusRegistration.AddServices),

        // Endpoint latency has no row: ASP.NET Core measures it; its part is the view (EndpointLatency/HistogramViews).
    ];

    /// <summary>
    /// The library's own meters: those of <see cref="All"/> and the Redis client's, which the package
    /// IncidentTelemetry.StackExchangeRedis publishes and the core listens to so that referencing that package is enough.
    /// </summary>
    public static readonly string[] OwnMeters =
    [
        .. All.Where(static s => s.MeterName is not null).Select(static s => s.MeterName!),
        MetricsConstants.RedisClientMeterName,
    ];

    /// <summary>The meter owners' types, resolved by the meter provider when it starts.</summary>
    public static readonly Type[] MeterOwners = [.. All.Where(static s => s.MeterOwner is not null).Select(static s => s.MeterOwner!)];

    /// <summary>Registers what every signal needs in the container (meter owners, decorators, enrichment, endpoint).</summary>
    public static void AddServices(IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        foreach (var signal in All)
        {
            signal.AddServices(services);
        }
    }

    /// <summary>One signal: its meter (null when it only enriches or serves another), the type that owns the meter,
    /// and what it registers in the container.</summary>
    internal sealed record Signal(string? MeterName, Type? MeterOwner, Action<IServiceCollection> AddServices);
}
