using System.Data.Common;
using IncidentTelemetry.Database;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace IncidentTelemetry;

/// <summary>Registers a decorated <see cref="DbDataSource"/> in the container.</summary>
public static class IncidentTelemetryDataSourceServiceCollectionExtensions
{
    /// <summary>
    /// Registers <see cref="DbDataSource"/> as a singleton: the data source that <paramref name="factory"/> builds,
    /// decorated as by <see cref="DbDataSourceTelemetryExtensions.WithIncidentTelemetry"/>, with the meter
    /// <c>IncidentTelemetry.Database</c> taken from the container's <c>IMeterFactory</c>.
    /// The container disposes the data source (and the provider's) when it is disposed.
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
    /// <param name="poolName">A short, stable name such as <c>payments-db</c>; never a connection string. At most 128 characters.</param>
    /// <returns>The same services, for chaining.</returns>
    /// <exception cref="ArgumentException"><paramref name="poolName"/> is empty, too long or looks like a connection string.</exception>
    public static IServiceCollection AddIncidentTelemetryDataSource(
        this IServiceCollection services,
        Func<IServiceProvider, DbDataSource> factory,
        string poolName)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(factory);
        PoolNameValidator.Validate(poolName, nameof(poolName));

        services.AddMetrics();
        DatabaseRegistration.AddServices(services);
        services.AddSingleton<DbDataSource>(sp =>
        {
            var inner = factory(sp) ?? throw new InvalidOperationException($"The data source factory for pool '{poolName}' returned null.");
            return new TelemetryDataSource(inner, poolName, sp.GetRequiredService<DatabaseMetrics>());
        });
        return services;
    }
}
