using System.Data.Common;
using Microsoft.Data.Sqlite;
using IncidentTelemetry;
using Npgsql;

namespace SampleShop;

/// <summary>The payment and inventory databases: PostgreSQL when configured, else an embedded SQLite file.</summary>
internal static class ShopDatabase
{
    private static DbDataSource Create(ShopOptions shop, string poolName)
    {
        DbDataSource dataSource;
        if (!string.IsNullOrEmpty(shop.Database))
        {
            var builder = new NpgsqlDataSourceBuilder(shop.Database);
            builder.ConnectionStringBuilder.MaxPoolSize = shop.PoolSize;
            builder.Name = poolName; // Npgsql's own pool metrics then carry the same pool name as ours.
            dataSource = builder.Build();
        }
        else
        {
            var file = Path.Combine(Path.GetTempPath(), $"sampleshop-{Environment.ProcessId}-{poolName}.db");
            dataSource = SqliteFactory.Instance.CreateDataSource($"Data Source={file};Pooling=True");
        }

        return dataSource;
    }

    public static bool IsPostgres(ShopOptions shop) => !string.IsNullOrEmpty(shop.Database);

    /// <summary>
    /// The connection-pool signal (wait time, use time, utilisation, pending requests, timeouts) for the pool
    /// <paramref name="poolName"/>, resolved after Build() as the keyed <see cref="DbDataSource"/> of that name.
    /// </summary>
    public static void Register(IServiceCollection services, ShopOptions shop, string poolName)
        => services.AddIncidentTelemetryDataSource(_ => Create(shop, poolName), poolName);
}
