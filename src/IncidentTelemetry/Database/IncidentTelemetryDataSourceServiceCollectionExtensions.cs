using System.Data.Common;
using IncidentTelemetry.Database;
using IncidentTelemetry.Internal;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentTelemetry;

/// <summary>Registers a decorated <see cref="DbDataSource"/> in the container.</summary>
public static class IncidentTelemetryDataSourceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DbDataSource"/> as a singleton: the data source that <paramref name="factory"/> builds,
    /// decorated so that its connections report the pool signal (<c>db.client.connection.*</c> with
    /// <c>db.client.connection.pool.name</c> = <paramref name="poolName"/>) on the meter
    /// <c>IncidentTelemetry.Database</c> taken from the container's <c>IMeterFactory</c>.
    /// The container disposes the data source (and the provider's) when it is disposed.
    /// The same instance is also the keyed service <paramref name="poolName"/>, so that an app with several pools
    /// resolves each with <c>GetRequiredKeyedService&lt;DbDataSource&gt;("payments-db")</c> or
    /// <c>[FromKeyedServices("payments-db")]</c>; the unkeyed <see cref="DbDataSource"/> is the first pool registered.
    /// </summary>
    /// <example>
    /// <code>
    /// builder.Services.AddIncidentTelemetryDataSource(
    ///     _ => new NpgsqlDataSourceBuilder(connectionString) { Name = "payments-db" }.Build(),
    ///     "payments-db");
    /// </code>
    /// </example>
    /// <param name="services">The app's services.</param>
    /// <param name="factory">Builds the provider's data source.</param>
    /// <param name="poolName">A short, stable name such as <c>payments-db</c>: 1 to 64 characters among a-z, A-Z, 0-9, '-', '_' and '.'
    /// (docs/configuration.md, "Names"); never a connection string.</param>
    /// <returns>The same services, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="poolName"/> is not such a name, or a pool of that name is
    /// registered already.</exception>
    public static IServiceCollection AddIncidentTelemetryDataSource(
        this IServiceCollection services,
        Func<IServiceProvider, DbDataSource> factory,
        string poolName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        NameValidator.Validate(poolName, nameof(poolName), MetricsConstants.DbConnectionPoolNameAttribute);

        foreach (var descriptor in services)
        {
            if (descriptor.IsKeyedService && descriptor.ServiceType == typeof(DbDataSource) && poolName.Equals(descriptor.ServiceKey))
            {
                throw new ArgumentException($"A data source named '{poolName}' is registered already: each pool needs its own name.", nameof(poolName));
            }
        }

        DatabaseMetrics.AddServices(services);
        services.AddKeyedSingleton<DbDataSource>(poolName, (sp, _) =>
        {
            var inner = factory(sp) ?? throw new InvalidOperationException($"The data source factory for pool '{poolName}' returned null.");
            return new TelemetryDataSource(inner, poolName, sp.GetRequiredService<DatabaseMetrics>());
        });

        // Not owned twice: the container disposes the keyed singleton; this registration only points at it.
        services.TryAddSingleton<DbDataSource>(sp => sp.GetRequiredKeyedService<DbDataSource>(poolName));
        return services;
    }
}
