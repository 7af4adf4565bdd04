using System.Data.Common;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using IncidentTelemetry.Database;
using IncidentTelemetry.Internal;
using Microsoft.Data.SqlClient;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.Database;

/// <summary>
/// SqlClient: operation duration from OpenTelemetry.Instrumentation.SqlClient (turned on by IncidentTelemetry.SqlClient),
/// the pool signal from the decorator. Without a SQL Server engine here, commands are shown to the instrumentation
/// through SqlClient's own diagnostic events; the [SqlServerFact] tests run only where a server is given.
/// </summary>
public sealed class SqlClientTests(ITestOutputHelper output)
{
    private const string Ours = MetricsConstants.DatabaseMeterName;
    private const string PoolAttribute = "db.client.connection.pool.name";

    [Fact]
    public void MeterProvider_SqlClientCommandEvents_OneOperationDurationStreamWithBoundedAttributes()
    {
        var exporter = new CapturingMetricExporter();
        using var meterProvider = SqlClientMeterProvider(exporter);

        // What Microsoft.Data.SqlClient writes around a command (names and payload members as it writes them).
        using var connection = new SqlConnection("Server=127.0.0.1,1;Database=payments;User Id=app;Password=secret");
        using var command = new SqlCommand("SELECT 1", connection);
        EmitCommand(command, failed: false);
        EmitCommand(command, failed: true);

        Assert.True(meterProvider.ForceFlush());
        var points = exporter.Last.Where(p => p.Name == "db.client.operation.duration").ToList();
        foreach (var point in points)
        {
            output.WriteLine($"{point.Meter} {point.Name} count={point.Count} [{string.Join(", ", point.Tags.Select(t => $"{t.Key}={t.Value}"))}] buckets {string.Join(" ", point.Bounds)}");
        }

        Assert.NotEmpty(points);
        Assert.All(points, p => Assert.Equal(SqlClientTelemetryExtensions.MeterName, p.Meter));
        Assert.Equal(2, points.Sum(p => p.Count));
        Assert.All(points, p => Assert.Equal("microsoft.sql_server", p.Tags["db.system.name"]));
        Assert.All(points, p => Assert.Empty(p.Tags.Keys.Except(SqlClientTelemetryExtensions.KeptAttributes)));
        Assert.All(points, p => Assert.DoesNotContain(p.Tags.Values, v => v is not null && (v.Contains("127.0.0.1", StringComparison.Ordinal) || v.Contains("payments", StringComparison.Ordinal))));
        Assert.All(points, p => Assert.Contains(0.5, p.Bounds));
    }

    [Fact]
    public async Task Decorator_SqlClientCommand_LeavesOperationDurationToThePackage()
    {
        using var capture = new MeterCapture(Ours);
        var poolName = "orders-db-" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = SqlClientFactory.Instance.CreateDataSource("Server=127.0.0.1,1;Database=orders;Max Pool Size=7").WithTestTelemetry(poolName);
        await using var connection = dataSource.CreateConnection();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT 1";

        // Not opened: SqlClient refuses the command; the decorator times nothing for SqlClient.
        await Assert.ThrowsAsync<InvalidOperationException>(() => command.ExecuteScalarAsync());
        Assert.DoesNotContain(capture.All, m => m.Instrument == "db.client.operation.duration");
        var observed = capture.Observe().Where(m => m.Tag(PoolAttribute) == poolName).ToList();
        Assert.Equal(7, observed.Single(m => m.Instrument == "db.client.connection.max").Value);
    }

    [Fact]
    public async Task Open_ConnectionRefused_NotCountedAsPoolTimeout()
    {
        var port = TestPorts.GetFree();
        var (error, capture, poolName) = await OpenFailingAsync($"Server=127.0.0.1,{port};Database=orders;User Id=app;Password=secret;Connect Timeout=3;Encrypt=false");
        using var _ = capture;
        output.WriteLine($"{error.GetType().FullName}: {error.Message.Split('\n')[0]}");
        AssertFailedOpenNotATimeout(capture, poolName);
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
        var (error, capture, poolName) = await OpenFailingAsync($"Server=127.0.0.1,{port};Database=orders;User Id=app;Password=secret;Connect Timeout=2;Encrypt=false");
        using var _ = capture;
        output.WriteLine($"after {started.Elapsed.TotalSeconds:0.0}s {error.GetType().FullName}: {error.Message.Split('\n')[0]}");
        Assert.IsType<SqlException>(error);
        Assert.False(PoolTimeoutDetector.IsPoolTimeout(error));
        AssertFailedOpenNotATimeout(capture, poolName);

        listener.Stop();
        await accepting;
        accepted.ForEach(s => s.Dispose());
    }

    [SqlServerFact]
    public async Task RealServer_PoolExhaustedPastTimeout_CountsOneTimeout()
    {
        using var capture = new MeterCapture(Ours);
        var poolName = "sql-pool-" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = SqlClientFactory.Instance.CreateDataSource(SqlServerFactAttribute.ConnectionString + ";Max Pool Size=2;Connect Timeout=2").WithTestTelemetry(poolName);
        var held = new List<DbConnection> { await dataSource.OpenConnectionAsync(), await dataSource.OpenConnectionAsync() };
        var error = await Assert.ThrowsAsync<InvalidOperationException>(async () => await dataSource.OpenConnectionAsync());
        Assert.True(PoolTimeoutDetector.IsPoolTimeout(error), error.Message);
        Assert.Equal(1, capture.Recorded(Ours, "db.client.connection.timeouts").Where(m => m.Tag(PoolAttribute) == poolName).Sum(m => m.Value));
        var observed = capture.Observe().Where(m => m.Tag(PoolAttribute) == poolName).ToList();
        Assert.Equal(2, observed.Single(m => m.Instrument == "db.client.connection.count").Value);
        Assert.Equal(2, observed.Single(m => m.Instrument == "db.client.connection.max").Value);
        foreach (var connection in held)
        {
            await connection.DisposeAsync();
        }
    }

    [SqlServerFact]
    public async Task RealServer_Command_OneOperationDurationStreamFromThePackage()
    {
        var exporter = new CapturingMetricExporter();
        using var meterProvider = SqlClientMeterProvider(exporter);
        await using var dataSource = SqlClientFactory.Instance.CreateDataSource(SqlServerFactAttribute.ConnectionString!).WithTestTelemetry("sql-ops");
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }

        Assert.True(meterProvider.ForceFlush());
        var points = exporter.Last.Where(p => p.Name == "db.client.operation.duration").ToList();
        var point = Assert.Single(points);
        Assert.Equal(SqlClientTelemetryExtensions.MeterName, point.Meter);
        Assert.Equal(1, point.Count);
    }

    private static async Task<(Exception Error, MeterCapture Capture, string PoolName)> OpenFailingAsync(string connectionString)
    {
        var capture = new MeterCapture(Ours);
        var poolName = "sql-fail-" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = SqlClientFactory.Instance.CreateDataSource(connectionString).WithTestTelemetry(poolName);
        var error = await Assert.ThrowsAnyAsync<Exception>(async () => await dataSource.OpenConnectionAsync());
        var observed = capture.Observe().Where(m => m.Tag(PoolAttribute) == poolName).ToList();
        Assert.Equal(0, observed.Single(m => m.Instrument == "db.client.connection.pending_requests").Value);
        Assert.Equal(0, observed.Single(m => m.Instrument == "db.client.connection.count").Value);
        return (error, capture, poolName);
    }

    private static void AssertFailedOpenNotATimeout(MeterCapture capture, string poolName)
    {
        Assert.DoesNotContain(capture.All, m => m.Instrument == "db.client.connection.timeouts" && m.Tag(PoolAttribute) == poolName);
        Assert.DoesNotContain(capture.All, m => m.Instrument == "db.client.connection.wait_time" && m.Tag(PoolAttribute) == poolName);
    }

    private static void EmitCommand(SqlCommand command, bool failed)
    {
        using var listener = new DiagnosticListener("SqlClientDiagnosticListener");
        var operationId = Guid.NewGuid();
        var connectionId = Guid.NewGuid();
        listener.Write("Microsoft.Data.SqlClient.WriteCommandBefore", new { OperationId = operationId, Operation = "ExecuteReader", ConnectionId = connectionId, Command = command, Timestamp = Stopwatch.GetTimestamp() });
        if (failed)
        {
            listener.Write("Microsoft.Data.SqlClient.WriteCommandError", new { OperationId = operationId, Operation = "ExecuteReader", ConnectionId = connectionId, Command = command, Exception = new InvalidOperationException("failed"), Timestamp = Stopwatch.GetTimestamp() });
        }
        else
        {
            listener.Write("Microsoft.Data.SqlClient.WriteCommandAfter", new { OperationId = operationId, Operation = "ExecuteReader", ConnectionId = connectionId, Command = command, Statistics = (object?)null, Timestamp = Stopwatch.GetTimestamp() });
        }
    }

    /// <summary>A provider with the library's and the SqlClient package's instrumentation, exporting to <paramref name="exporter"/>.</summary>
    private static MeterProvider SqlClientMeterProvider(CapturingMetricExporter exporter) =>
        Sdk.CreateMeterProviderBuilder()
            .AddIncidentTelemetryInstrumentation()
            .AddIncidentTelemetrySqlClientInstrumentation()
            .AddReader(new BaseExportingMetricReader(exporter))
            .Build();
}
