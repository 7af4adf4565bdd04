using System.Data.Common;

namespace IncidentTelemetry;

/// <summary>The former way to add the connection-pool signal outside a container; kept only to say what replaces it.</summary>
public static class DbDataSourceTelemetryExtensions
{
    /// <summary>The message of the compile-time error on <see cref="WithIncidentTelemetry"/>.</summary>
    internal const string Replacement =
        "The connection-pool meter belongs to the container's IMeterFactory and there is no process-wide one: register the pool with " +
        "services.AddIncidentTelemetryDataSource(_ => providerDataSource, \"payments-db\") and resolve DbDataSource " +
        "(or the keyed service \"payments-db\").";

    /// <summary>
    /// No longer supported: a data source decorated outside a container would need a meter that no container owns
    /// and disposes. Use <see cref="IncidentTelemetryDataSourceServiceCollectionExtensions.AddIncidentTelemetryDataSource"/>.
    /// Calling it is a compile-time error that names the replacement.
    /// </summary>
    /// <param name="dataSource">The provider's data source.</param>
    /// <param name="poolName">The pool name.</param>
    /// <returns>Never returns.</returns>
    /// <exception cref="NotSupportedException">Always, if called through reflection.</exception>
    [Obsolete(Replacement, error: true)]
    public static DbDataSource WithIncidentTelemetry(this DbDataSource dataSource, string poolName)
        => throw new NotSupportedException(Replacement);
}
