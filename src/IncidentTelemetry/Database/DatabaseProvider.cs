using System.Data.Common;

namespace IncidentTelemetry.Database;

/// <summary>
/// What the decorator knows about an ADO.NET provider, recognised by the namespace of its types so that
/// the library references no provider.
/// </summary>
internal sealed class DatabaseProvider
{
    public static readonly DatabaseProvider Npgsql = new("postgresql", defaultMaxPoolSize: 100);
    public static readonly DatabaseProvider SqlServer = new("microsoft.sql_server", defaultMaxPoolSize: 100, reportsOperationDuration: false);
    public static readonly DatabaseProvider Sqlite = new("sqlite", defaultMaxPoolSize: null);
    public static readonly DatabaseProvider MySql = new("mysql", defaultMaxPoolSize: 100);
    public static readonly DatabaseProvider Other = new("other_sql", defaultMaxPoolSize: null);

    private DatabaseProvider(string systemName, int? defaultMaxPoolSize, bool reportsOperationDuration = true)
    {
        this.SystemName = systemName;
        this.ReportsOperationDuration = reportsOperationDuration;
        this.DefaultMaxPoolSize = defaultMaxPoolSize;
    }

    /// <summary>Value of <c>db.system.name</c> (OpenTelemetry well-known values).</summary>
    public string SystemName { get; }

    /// <summary>
    /// False for SqlClient: its <c>db.client.operation.duration</c> comes from OpenTelemetry.Instrumentation.SqlClient
    /// (package IncidentTelemetry.SqlClient), so the decorator does not time its commands and nothing is doubled.
    /// </summary>
    public bool ReportsOperationDuration { get; }

    /// <summary>The pool size the provider uses when the connection string names none; null when it has no such pool.</summary>
    public int? DefaultMaxPoolSize { get; }

    /// <summary>Recognises the provider from the type of one of its objects (data source or connection).</summary>
    public static DatabaseProvider FromType(Type type)
    {
        var name = type.FullName ?? type.Name;
        if (name.StartsWith("Npgsql.", StringComparison.Ordinal))
        {
            return Npgsql;
        }

        if (name.StartsWith("Microsoft.Data.SqlClient.", StringComparison.Ordinal) || name.StartsWith("System.Data.SqlClient.", StringComparison.Ordinal))
        {
            return SqlServer;
        }

        if (name.StartsWith("Microsoft.Data.Sqlite.", StringComparison.Ordinal) || name.StartsWith("System.Data.SQLite.", StringComparison.Ordinal))
        {
            return Sqlite;
        }

        if (name.StartsWith("MySqlConnector.", StringComparison.Ordinal) || name.StartsWith("MySql.Data.", StringComparison.Ordinal))
        {
            return MySql;
        }

        return Other;
    }

    /// <summary>
    /// Recognises the provider of a data source: by the data source's own type, else (for the generic data
    /// source that <see cref="DbProviderFactory.CreateDataSource"/> returns) by the type of a connection it
    /// creates. The connection is created, never opened.
    /// </summary>
    public static DatabaseProvider FromDataSource(DbDataSource dataSource)
    {
        var provider = FromType(dataSource.GetType());
        if (provider != Other)
        {
            return provider;
        }

        using var probe = dataSource.CreateConnection();
        return FromType(probe.GetType());
    }
}
