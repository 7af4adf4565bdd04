using System.Data;
using System.Data.Common;
using System.Diagnostics.Metrics;
using IncidentTelemetry.Database;
using IncidentTelemetry.Internal;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry.Tests.Database;

/// <summary>The same decorator over Microsoft.Data.Sqlite (a file in a temporary directory), which emits no metrics itself.</summary>
public sealed class SqliteConnectionPoolTests : IDisposable
{
    private const string Ours = MetricsConstants.DatabaseMeterName;
    private const string PoolAttribute = "db.client.connection.pool.name";

    private readonly TempDirectory directory = new("it-sqlite-");
    private readonly string poolName = "inventory-db-" + Guid.NewGuid().ToString("N")[..8];

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        this.directory.Dispose();
    }

    [Fact]
    public async Task ExecuteAsync_SqliteCommands_RecordsOperationDurationWithSystemAndOperation()
    {
        await using var dataSource = this.CreateDataSource(out var meters);
        using var metrics = new DatabaseCollectors(meters);

        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await ExecuteAsync(connection, "CREATE TABLE stock (sku TEXT PRIMARY KEY, quantity INTEGER)");
            await ExecuteAsync(connection, "/* seed */ INSERT INTO stock VALUES ('a-1', 3)");
            await using var select = connection.CreateCommand();
            select.CommandText = "  select quantity from stock where sku = 'a-1'";
            Assert.Equal(3L, await select.ExecuteScalarAsync());
            await Assert.ThrowsAsync<SqliteException>(() => ExecuteAsync(connection, "SELECT * FROM missing_table"));
        }

        var operations = metrics.OperationDuration.GetMeasurementSnapshot().Where(m => m.Tag(PoolAttribute) == this.poolName && m.Tag("db.system.name") == "sqlite").ToList();
        Assert.All(operations, m => Assert.Null(m.Tag("db.namespace")));
        Assert.Equal(["CREATE", "INSERT", "SELECT", "SELECT"], operations.Select(m => m.Tag("db.operation.name")));
        Assert.Equal("s", metrics.OperationDuration.Instrument?.Unit);
        Assert.All(operations, m => Assert.True(m.Value > 0));
        Assert.Equal([null, null, null, "Microsoft.Data.Sqlite.SqliteException"], operations.Select(m => m.Tag("error.type")));
        Assert.DoesNotContain(operations, m => m.Tags.Values.Any(v => v?.ToString()?.Contains("stock", StringComparison.Ordinal) == true));
    }

    [Fact]
    public async Task OpenConnectionAsync_SqliteConnections_UsedCountFollowsOpenAndClose()
    {
        await using var dataSource = this.CreateDataSource(out var meters);
        using var metrics = new DatabaseCollectors(meters);

        Assert.Equal(0, this.ObserveUsed(metrics));
        var first = await dataSource.OpenConnectionAsync();
        var second = dataSource.OpenConnection();
        Assert.Equal(2, this.ObserveUsed(metrics));

        await first.CloseAsync();
        Assert.Equal(1, this.ObserveUsed(metrics));
        second.Dispose();
        Assert.Equal(0, this.ObserveUsed(metrics));
        await first.DisposeAsync();
        Assert.Equal(0, this.ObserveUsed(metrics));

        // SQLite has no pool maximum: no db.client.connection.max series for it.
        metrics.Observe();
        Assert.DoesNotContain(metrics.Max.GetMeasurementSnapshot(), m => m.Tag(PoolAttribute) == this.poolName);
        Assert.Equal(2, metrics.WaitTime.GetMeasurementSnapshot().Count(m => m.Tag(PoolAttribute) == this.poolName));
        Assert.Equal(2, metrics.UseTime.GetMeasurementSnapshot().Count(m => m.Tag(PoolAttribute) == this.poolName));
    }

    [Fact]
    public async Task ExecuteReader_CloseConnectionBehavior_ReturnsConnectionWhenReaderCloses()
    {
        await using var dataSource = this.CreateDataSource(out var meters);
        using var metrics = new DatabaseCollectors(meters);
        var connection = await dataSource.OpenConnectionAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";
        var reader = await command.ExecuteReaderAsync(CommandBehavior.CloseConnection);
        Assert.Equal(1, this.ObserveUsed(metrics));

        await reader.DisposeAsync();
        Assert.Equal(ConnectionState.Closed, connection.State);
        Assert.Equal(0, this.ObserveUsed(metrics));
        await connection.DisposeAsync();
    }

    [Fact]
    public async Task WrappedConnection_TransactionsSchemaAndDataSourceCommands_BehaveLikeTheProvider()
    {
        await using var dataSource = this.CreateDataSource(out _);
        await using var connection = await dataSource.OpenConnectionAsync();
        Assert.Equal("main", connection.Database);
        Assert.Equal(this.directory.Combine("inventory.db"), connection.DataSource);
        Assert.False(string.IsNullOrEmpty(connection.ServerVersion));
        Assert.IsType<SqliteFactory>(DbProviderFactories.GetFactory(connection));

        var states = new List<ConnectionState>();
        connection.StateChange += (_, e) => states.Add(e.CurrentState);

        await ExecuteAsync(connection, "CREATE TABLE orders (id INTEGER PRIMARY KEY)");
        await using (var transaction = await connection.BeginTransactionAsync())
        {
            await using var insert = connection.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = "INSERT INTO orders VALUES (1)";
            Assert.Equal(1, await insert.ExecuteNonQueryAsync());
            Assert.Same(connection, insert.Connection);
            await transaction.RollbackAsync();
        }

        await using (var count = dataSource.CreateCommand("SELECT count(*) FROM orders"))
        {
            Assert.Equal(0L, await count.ExecuteScalarAsync());
        }

        Assert.NotNull(connection.GetSchema());
        await connection.CloseAsync();
        Assert.Equal([ConnectionState.Closed], states);
    }

    [Fact]
    public async Task AddIncidentTelemetryDataSource_ResolvedFromContainer_ReportsThroughMeterFactory()
    {
        var services = new ServiceCollection();
        var path = this.directory.Combine("di.db");
        services.AddIncidentTelemetryDataSource(_ => SqliteFactory.Instance.CreateDataSource($"Data Source={path}"), this.poolName);

        DatabaseCollectors metrics;
        IMeterFactory factory;
        await using (var provider = services.BuildServiceProvider())
        {
            // Collectors on the container's factory, before the data source creates its meter: they see only
            // what came through that factory.
            factory = provider.GetRequiredService<IMeterFactory>();
            metrics = new DatabaseCollectors(factory);
            var dataSource = provider.GetRequiredService<DbDataSource>();
            await using var connection = await dataSource.OpenConnectionAsync();
            await ExecuteAsync(connection, "SELECT 1");
        }

        using var _ = metrics;
        var waits = metrics.WaitTime.GetMeasurementSnapshot().Where(m => m.Tag(PoolAttribute) == this.poolName).ToList();
        Assert.Single(waits);
        Assert.Same(factory, metrics.WaitTime.Instrument?.Meter.Scope);
        Assert.Contains(metrics.OperationDuration.GetMeasurementSnapshot(), m => m.Tag("db.system.name") == "sqlite");
        Assert.Same(factory, metrics.OperationDuration.Instrument?.Meter.Scope);
    }

    [Fact]
    public async Task Open_ListenerThrows_OpenAndCommandsStillSucceed()
    {
        // A raw MeterListener on purpose: the test needs a listener whose callback throws.
        using var throwing = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (instrument.Meter.Name == Ours)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        var calls = 0;
        var name = this.poolName;
        throwing.SetMeasurementEventCallback<double>((_, _, tags, _) =>
        {
            // Only this test's measurements: other tests' listeners run in parallel on the same meter.
            foreach (var tag in tags)
            {
                if (Equals(tag.Value, name) || Equals(tag.Value, "sqlite"))
                {
                    Interlocked.Increment(ref calls);
                    throw new InvalidOperationException("listener bug");
                }
            }
        });
        throwing.Start();

        await using var dataSource = this.CreateDataSource(out _);
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await ExecuteAsync(connection, "SELECT 1");
        }

        // wait_time, operation.duration and use_time each reached the throwing listener.
        Assert.True(calls >= 3, $"calls={calls}");
    }

    private static async Task ExecuteAsync(DbConnection connection, string sql)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }

    private DbDataSource CreateDataSource(out IMeterFactory meters)
        => SqliteFactory.Instance.CreateDataSource($"Data Source={this.directory.Combine("inventory.db")}").WithTestTelemetry(this.poolName, out meters);

    private long ObserveUsed(DatabaseCollectors metrics)
    {
        metrics.Observe();
        var used = metrics.Count.GetMeasurementSnapshot().Where(m => m.Tag(PoolAttribute) == this.poolName).ToList();
        var single = Assert.Single(used);
        Assert.Equal("used", single.Tag("db.client.connection.state"));
        return single.Value;
    }
}
