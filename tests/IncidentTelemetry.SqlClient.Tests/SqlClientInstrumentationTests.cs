using System.Diagnostics;
using Microsoft.Data.SqlClient;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Xunit.Abstractions;

namespace IncidentTelemetry.SqlClient.Tests;

/// <summary>
/// IncidentTelemetry.SqlClient: operation duration from OpenTelemetry.Instrumentation.SqlClient with the library's
/// buckets and bounded attributes (the pool signal over SqlClient is the core's decorator, tested in
/// tests/IncidentTelemetry.Tests/Database). Without a SQL Server engine here, commands are shown to the
/// instrumentation through SqlClient's own diagnostic events; the [SqlServerFact] test runs only where a server is given.
/// </summary>
public sealed class SqlClientInstrumentationTests(ITestOutputHelper output)
{
    [Fact]
    public void MeterProvider_SqlClientCommandEvents_OneOperationDurationStreamWithBoundedAttributes()
    {
        var exported = new List<MetricSnapshot>();
        using var meterProvider = SqlClientMeterProvider(exported);

        // What Microsoft.Data.SqlClient writes around a command (names and payload members as it writes them).
        using var connection = new SqlConnection("Server=127.0.0.1,1;Database=payments;User Id=app;Password=secret");
        using var command = new SqlCommand("SELECT 1", connection);
        EmitCommand(command, failed: false);
        EmitCommand(command, failed: true);

        Assert.True(meterProvider.ForceFlush());
        var points = ExportedPoint.From(exported).Where(p => p.Name == "db.client.operation.duration").ToList();
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

    [SqlServerFact]
    public async Task RealServer_Command_OneOperationDurationStreamFromThePackage()
    {
        var exported = new List<MetricSnapshot>();
        using var meterProvider = SqlClientMeterProvider(exported);
        await using var dataSource = SqlClientFactory.Instance.CreateDataSource(SqlServerFactAttribute.ConnectionString!).WithTestTelemetry("sql-ops");
        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            Assert.Equal(1, await command.ExecuteScalarAsync());
        }

        Assert.True(meterProvider.ForceFlush());
        var points = ExportedPoint.From(exported).Where(p => p.Name == "db.client.operation.duration").ToList();
        var point = Assert.Single(points);
        Assert.Equal(SqlClientTelemetryExtensions.MeterName, point.Meter);
        Assert.Equal(1, point.Count);
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

    /// <summary>A provider with the library's and the SqlClient package's instrumentation, exporting into <paramref name="exported"/>.</summary>
    private static MeterProvider SqlClientMeterProvider(List<MetricSnapshot> exported) =>
        Sdk.CreateMeterProviderBuilder()
            .AddIncidentTelemetryInstrumentation()
            .AddIncidentTelemetrySqlClientInstrumentation()
            .AddInMemoryExporter(exported)
            .Build();
}
