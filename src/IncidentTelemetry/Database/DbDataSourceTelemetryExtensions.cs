using System.Data.Common;
using IncidentTelemetry.Database;

namespace IncidentTelemetry;

/// <summary>Adds the connection-pool signal to any ADO.NET <see cref="DbDataSource"/>.</summary>
public static class DbDataSourceTelemetryExtensions
{
    /// <summary>
    /// Returns a data source that hands out the same provider connections and reports, on the meter
    /// <c>IncidentTelemetry.Database</c> with the attribute <c>db.client.connection.pool.name</c> =
    /// <paramref name="poolName"/>: <c>db.client.connection.wait_time</c>, <c>.use_time</c>,
    /// <c>.pending_requests</c>, <c>.timeouts</c>, and, for providers that do not publish them themselves
    /// (every provider but Npgsql), <c>db.client.connection.count</c>, <c>.max</c> and
    /// <c>db.client.operation.duration</c>.
    /// </summary>
    /// <remarks>
    /// The returned data source owns <paramref name="dataSource"/> and disposes it. Connections and commands
    /// it hands out are wrappers: code that casts them to the provider's types (for example
    /// <c>(NpgsqlConnection)connection</c>) must keep using the provider's data source.
    /// Outside a container the meter is a process-wide instance; inside one, prefer
    /// <c>services.AddIncidentTelemetryDataSource(...)</c>, which takes the meter from <c>IMeterFactory</c>.
    /// </remarks>
    /// <param name="dataSource">The provider's data source, for example an <c>NpgsqlDataSource</c>.</param>
    /// <param name="poolName">A short, stable name such as <c>payments-db</c>; never a connection string
    /// (names containing <c>=</c> or <c>;</c> are refused). At most 128 characters.</param>
    /// <returns>The decorated data source.</returns>
    /// <exception cref="ArgumentException"><paramref name="poolName"/> is empty, too long or looks like a connection string.</exception>
    public static DbDataSource WithIncidentTelemetry(this DbDataSource dataSource, string poolName)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        PoolNameValidator.Validate(poolName, nameof(poolName));
        return dataSource is TelemetryDataSource
            ? throw new ArgumentException("The data source already reports the connection-pool signal.", nameof(dataSource))
            : new TelemetryDataSource(dataSource, poolName, DatabaseMetrics.Shared);
    }
}
