using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IncidentTelemetry.Database;
using Microsoft.Data.SqlClient;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.Database;

/// <summary>
/// The pool decorator over SqlClient's data source (the operation duration is IncidentTelemetry.SqlClient's, tested in
/// tests/IncidentTelemetry.SqlClient.Tests). The [SqlServerFact] test runs only where a server is given.
/// </summary>
public sealed class SqlClientConnectionPoolTests(ITestOutputHelper output)
{
    private const string PoolAttribute = "db.client.connection.pool.name";

    [Fact]
    public async Task Decorator_SqlClientCommand_LeavesOperationDurationToThePackage()
    {
        var poolName = "orders-db-" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = SqlClientFactory.Instance.CreateDataSource("Server=127.0.0.1,1;Database=orders;Max Pool Size=7").WithTestTelemetry(poolName, out var meters);
        using var metrics = new DatabaseCollectors(meters);
        await using var connection = dataSource.CreateConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";

        // Not opened: SqlClient refuses the command; the decorator times nothing for SqlClient.
        await Assert.ThrowsAsync<InvalidOperationException>(() => command.ExecuteScalarAsync());
        Assert.Empty(metrics.OperationDuration.GetMeasurementSnapshot());
        metrics.Observe();
        Assert.Equal(7, metrics.Max.GetMeasurementSnapshot().Single(m => m.Tag(PoolAttribute) == poolName).Value);
    }

    [Fact]
    public async Task Open_ConnectionRefused_NotCountedAsPoolTimeout()
    {
        var port = LoopbackPorts.GetFree();
        var (error, metrics, poolName) = await OpenFailingAsync($"Server=127.0.0.1,{port};Database=orders;User Id=app;Password=secret;Connect Timeout=3;Encrypt=false");
        using var _ = metrics;
        output.WriteLine($"{error.GetType().FullName}: {error.Message.Split('\n')[0]}");
        AssertFailedOpenNotATimeout(metrics, poolName);
    }

    [Fact]
    public async Task Open_ServerSilentPastConnectTimeout_NotCountedAsPoolTimeout()
    {
        // Accepts the TCP connection and never answers the pre-login: SqlClient's connect timeout, not the pool's.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = new List<Socket>();
        var accepting = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    accepted.Add(await listener.AcceptSocketAsync());
                }
            }
            catch (Exception ex) when (ex is SocketException or ObjectDisposedException)
            {
            }
        });

        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var started = Stopwatch.StartNew();
        var (error, metrics, poolName) = await OpenFailingAsync($"Server=127.0.0.1,{port};Database=orders;User Id=app;Password=secret;Connect Timeout=2;Encrypt=false");
        using var _ = metrics;
        output.WriteLine($"after {started.Elapsed.TotalSeconds:0.0}s {error.GetType().FullName}: {error.Message.Split('\n')[0]}");
        Assert.IsType<SqlException>(error);
        Assert.False(PoolTimeoutDetector.IsPoolTimeout(error));
        AssertFailedOpenNotATimeout(metrics, poolName);

        listener.Stop();
        await accepting;
        accepted.ForEach(s => s.Dispose());
    }

    [SqlServerFact]
    public async Task RealServer_PoolExhaustedPastTimeout_CountsOneTimeout()
    {
        var poolName = "sql-pool-" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = SqlClientFactory.Instance.CreateDataSource(SqlServerFactAttribute.ConnectionString + ";Max Pool Size=2;Connect Timeout=2").WithTestTelemetry(poolName, out var meters);
        using var metrics = new DatabaseCollectors(meters);
        var held = new List<DbConnection> { await dataSource.OpenConnectionAsync(), await dataSource.OpenConnectionAsync() };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await dataSource.OpenConnectionAsync());
        Assert.True(PoolTimeoutDetector.IsPoolTimeout(error), error.Message);
        Assert.Equal(1, metrics.Timeouts.GetMeasurementSnapshot().Where(m => m.Tag(PoolAttribute) == poolName).Sum(m => m.Value));
        metrics.Observe();
        Assert.Equal(2, metrics.Count.GetMeasurementSnapshot().Single(m => m.Tag(PoolAttribute) == poolName).Value);
        Assert.Equal(2, metrics.Max.GetMeasurementSnapshot().Single(m => m.Tag(PoolAttribute) == poolName).Value);
        foreach (var connection in held)
        {
            await connection.DisposeAsync();
        }
    }

    private static async Task<(Exception Error, DatabaseCollectors Metrics, string PoolName)> OpenFailingAsync(string connectionString)
    {
        var poolName = "sql-fail-" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = SqlClientFactory.Instance.CreateDataSource(connectionString).WithTestTelemetry(poolName, out var meters);
        var metrics = new DatabaseCollectors(meters);
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await dataSource.OpenConnectionAsync());
        metrics.Observe();
        Assert.Equal(0, metrics.Pending.GetMeasurementSnapshot().Single(m => m.Tag(PoolAttribute) == poolName).Value);
        Assert.Equal(0, metrics.Count.GetMeasurementSnapshot().Single(m => m.Tag(PoolAttribute) == poolName).Value);
        return (error, metrics, poolName);
    }

    private static void AssertFailedOpenNotATimeout(DatabaseCollectors metrics, string poolName)
    {
        Assert.DoesNotContain(metrics.Timeouts.GetMeasurementSnapshot(), m => m.Tag(PoolAttribute) == poolName);
        Assert.DoesNotContain(metrics.WaitTime.GetMeasurementSnapshot(), m => m.Tag(PoolAttribute) == poolName);
    }
}
