using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Internal;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry;

/// <summary>
/// SQL Server operation latency: OpenTelemetry.Instrumentation.SqlClient's <c>db.client.operation.duration</c>,
/// with the library's latency buckets and bounded attributes. The connection-pool decorator
/// (<c>AddIncidentTelemetryDataSource</c>) reports wait, use, pending, timeouts,
/// count and max for SqlClient and leaves the operation duration to this package, so nothing is reported twice.
/// </summary>
public static class SqlClientTelemetryExtensions
{
    /// <summary>The meter OpenTelemetry.Instrumentation.SqlClient publishes on.</summary>
    public const string MeterName = MeterNames.SqlClient;

    /// <summary>
    /// The attributes kept on <c>db.client.operation.duration</c>. Not <c>server.address</c>, <c>server.port</c> or
    /// <c>db.namespace</c> (parts of the connection string), nor <c>db.query.summary</c> and
    /// <c>db.stored_procedure.name</c> (one series per statement or procedure).
    /// </summary>
    public static readonly IReadOnlyList<string> KeptAttributes =
    [
        AttributeNames.DbSystemName,
        AttributeNames.DbOperationName,
        AttributeNames.DbResponseStatusCode,
        AttributeNames.ErrorType,
    ];

    /// <summary>
    /// Turns on SqlClient's operation duration in the app's OpenTelemetry meter provider (the one
    /// <c>AddIncidentTelemetry()</c> builds, or the app's own).
    /// </summary>
    /// <param name="services">The app's services.</param>
    /// <returns>The same services, for chaining.</returns>
    public static IServiceCollection AddIncidentTelemetrySqlClient(this IServiceCollection services)
    {
        ArgumentNullException.ThrowIfNull(services);
        return services.ConfigureOpenTelemetryMeterProvider(static builder => builder.AddIncidentTelemetrySqlClientInstrumentation());
    }

    /// <summary>The same on a meter provider builder the app builds itself.</summary>
    /// <param name="builder">The meter provider builder.</param>
    /// <returns>The same builder, for chaining.</returns>
    public static MeterProviderBuilder AddIncidentTelemetrySqlClientInstrumentation(this MeterProviderBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder
            .AddSqlClientInstrumentation()
            .AddView(static instrument =>
                instrument.Meter.Name == MeterName && instrument.Name == MetricCatalogue.DbOperationDuration.Instrument
                    ? new ExplicitBucketHistogramConfiguration { Boundaries = [.. MetricCatalogue.DbOperationDuration.Buckets!], TagKeys = [.. KeptAttributes], CardinalityLimit = MetricsConstants.DefaultCardinalityLimit }
                    : null);
    }
}
