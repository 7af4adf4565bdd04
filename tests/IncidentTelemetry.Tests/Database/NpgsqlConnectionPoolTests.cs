using System.Data.Common;
using IncidentTelemetry.Database;
using IncidentTelemetry.Internal;
using Microsoft.Extensions.Diagnostics.Metrics.Testing;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.Database;

/// <summary>The decorator over a real NpgsqlDataSource against a real PostgreSQL server.</summary>
public sealed class NpgsqlConnectionPoolTests : IClassFixture<PostgresFixture>
{
    private const string Ours = MetricsConstants.DatabaseMeterName;
    private const string Npgsql = "Npgsql";
    private const string PoolAttribute = "db.client.connection.pool.name";

    private readonly PostgresFixture server;
    private readonly ITestOutputHelper output;

    public NpgsqlConnectionPoolTests(PostgresFixture server, ITestOutputHelper output)
    {
        this.server = server;
        this.output = output;
    }

    [Fact]
    public async Task OpenConnectionAsync_TwentyHoldersOnPoolOfFive_ReportsWaitQueueAndFullUtilisation()
    {
        var poolName = "payments-db-" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = NpgsqlDataSource.Create(this.server.ConnectionString() + ";Maximum Pool Size=5;Timeout=60").WithTestTelemetry(poolName, out var meters);
        using var metrics = new DatabaseCollectors(meters);
        var pool = ((TelemetryDataSource)dataSource).Pool;

        var gate = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var holders = Enumerable.Range(0, 20).Select(_ => Task.Run(async () =>
        {
            await using var connection = await dataSource.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            Assert.Equal(1, Convert.ToInt32(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture));
            await gate.Task;
        })).ToArray();

        // Five hold a connection, fifteen queue: poll until every source agrees.
        long pending = 0, used = 0, max = 0;
        await Eventually.UntilAsync(
            () =>
            {
                metrics.Observe();
                pending = Value(metrics.Pending, poolName);
                used = Value(metrics.Count, poolName, "used");
                max = Value(metrics.Max, poolName);
                return Task.FromResult(pending == 15 && used == 5 && max == 5);
            },
            ok => ok,
            TimeSpan.FromSeconds(30),
            "15 pending opens and 5 connections in use",
            () => $"pending={pending} used={used} max={max}");

        this.output.WriteLine($"pending={pending} used={used} max={max} utilisation={(double)used / max:0.00}");
        Assert.Equal(1.0, (double)used / max);

        // Hold a known time so that every queued open waits at least that long.
        var holdStarted = System.Diagnostics.Stopwatch.StartNew();
        await Task.Delay(TimeSpan.FromMilliseconds(300));
        var held = holdStarted.Elapsed.TotalSeconds;
        gate.SetResult();
        await Task.WhenAll(holders);

        var waits = metrics.WaitTime.GetMeasurementSnapshot().Where(m => m.Tag(PoolAttribute) == poolName).ToList();
        var uses = metrics.UseTime.GetMeasurementSnapshot().Where(m => m.Tag(PoolAttribute) == poolName).ToList();
        this.output.WriteLine($"wait_time n={waits.Count} max={waits.Max(m => m.Value):0.000}s; use_time n={uses.Count} max={uses.Max(m => m.Value):0.000}s; held {held:0.000}s");
        Assert.Equal(20, waits.Count);
        Assert.True(waits.Count(m => m.Value >= 0.25) >= 15, $"expected 15 opens to wait >= 0.25 s: {string.Join(", ", waits.Select(m => m.Value))}");
        Assert.Equal("s", metrics.WaitTime.Instrument?.Unit);
        Assert.Equal(20, uses.Count);
        Assert.True(uses.Count(m => m.Value >= 0.25) >= 5);

        // Use time starts when the open completes: the fifteen that queued 0.3 s ran one query and gave the
        // connection back, so most of them must not show the wait in their use time.
        Assert.True(uses.Count(m => m.Value >= 0.25) <= 10, $"use time includes the wait: {string.Join(", ", uses.Select(m => m.Value))}");

        metrics.Observe();
        Assert.Equal(0, Value(metrics.Pending, poolName));
        Assert.Equal(0, pool.Used);
    }

    [Fact]
    public async Task OpenConnectionAsync_PoolExhaustedPastTimeout_CountsOneTimeout()
    {
        var poolName = "payments-db-" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = NpgsqlDataSource.Create(this.server.ConnectionString() + ";Maximum Pool Size=5;Timeout=1").WithTestTelemetry(poolName, out var meters);
        using var metrics = new DatabaseCollectors(meters);

        var held = new List<DbConnection>();
        for (var i = 0; i < 5; i++)
        {
            held.Add(await dataSource.OpenConnectionAsync());
        }

        var exception = await Assert.ThrowsAsync<NpgsqlException>(async () => await dataSource.OpenConnectionAsync());
        this.output.WriteLine($"{exception.GetType().FullName}: {exception.Message} (inner {exception.InnerException?.GetType().FullName})");
        Assert.True(PoolTimeoutDetector.IsPoolTimeout(exception));

        var timeouts = metrics.Timeouts.GetMeasurementSnapshot().Where(m => m.Tag(PoolAttribute) == poolName).ToList();
        Assert.Single(timeouts);
        Assert.Equal(1, timeouts[0].Value);

        // The failed open left the queue; the five held connections are still counted.
        metrics.Observe();
        Assert.Equal(0, Value(metrics.Pending, poolName));
        Assert.Equal(5, Value(metrics.Count, poolName, "used"));

        foreach (var connection in held)
        {
            await connection.DisposeAsync();
        }
    }

    [Fact]
    public async Task AddIncidentTelemetryDataSource_NpgsqlDataSourceWithoutName_EverySeriesCarriesThePoolNameAndTheOperation()
    {
        var poolName = "inventory-db-" + Guid.NewGuid().ToString("N")[..8];
        await using var dataSource = NpgsqlDataSource.Create(this.server.ConnectionString() + ";Maximum Pool Size=7").WithTestTelemetry(poolName, out var meters);
        using var metrics = new DatabaseCollectors(meters);

        await using (var connection = await dataSource.OpenConnectionAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT count(*) FROM pg_class";
            Assert.True(Convert.ToInt64(await command.ExecuteScalarAsync(), System.Globalization.CultureInfo.InvariantCulture) > 0);

            metrics.Observe();
            Assert.Equal(1, Value(metrics.Count, poolName, "used"));
            Assert.Equal(7, Value(metrics.Max, poolName));
            Assert.Equal(0, Value(metrics.Pending, poolName));
        }

        var operation = Assert.Single(metrics.OperationDuration.GetMeasurementSnapshot(), m => m.Tag(PoolAttribute) == poolName);
        this.output.WriteLine($"recorded {metrics.OperationDuration.Instrument?.Name} = {operation.Value:0.0000} [{string.Join(", ", operation.Tags.Select(t => $"{t.Key}={t.Value}"))}]");
        Assert.Equal("postgresql", operation.Tag("db.system.name"));
        Assert.Equal("SELECT", operation.Tag("db.operation.name"));

        // The database, host and port are parts of the connection string: none is an attribute.
        Assert.Equal(["db.client.connection.pool.name", "db.operation.name", "db.system.name"], operation.Tags.Keys.Order(StringComparer.Ordinal));
        Assert.Single(metrics.WaitTime.GetMeasurementSnapshot(), m => m.Tag(PoolAttribute) == poolName);
        Assert.Single(metrics.UseTime.GetMeasurementSnapshot(), m => m.Tag(PoolAttribute) == poolName);
    }

    [Fact]
    public async Task AddIncidentTelemetryDataSource_ConnectionStringWithPassword_NoAttributeValueContainsIt()
    {
        const string password = "Sup3r-Secret-Pg-Passw0rd";
        var npgsql = NpgsqlDataSource.Create(this.server.ConnectionString() + $";Password={password};Maximum Pool Size=3;Timeout=1");
        await using var dataSource = npgsql.WithTestTelemetry("secret-check-db", out var meters);
        using var metrics = new DatabaseCollectors(meters);
        var held = new List<DbConnection>();
        for (var i = 0; i < 3; i++)
        {
            var connection = await dataSource.OpenConnectionAsync();
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync();
            held.Add(connection);
        }

        await Assert.ThrowsAsync<NpgsqlException>(async () => await dataSource.OpenConnectionAsync());
        metrics.Observe();
        foreach (var connection in held)
        {
            await connection.DisposeAsync();
        }

        var values = metrics.AttributeValues().ToList();
        Assert.Contains("secret-check-db", values);
        Assert.Contains(metrics.Timeouts.GetMeasurementSnapshot(), m => m.Tag(PoolAttribute) == "secret-check-db");
        Assert.DoesNotContain(values, v => v.Contains(password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task MeterProvider_NpgsqlPoolThroughIncidentTelemetryInstrumentation_ExportsEachSeriesOnceWithAlertBuckets()
    {
        var poolName = "checkout-db-" + Guid.NewGuid().ToString("N")[..8];
        var exported = new List<MetricSnapshot>();
        using var meterProvider = Sdk.CreateMeterProviderBuilder()
            .AddIncidentTelemetryInstrumentation()
            .AddInMemoryExporter(exported)
            .Build();

        await using var dataSource = NpgsqlDataSource.Create(this.server.ConnectionString() + ";Maximum Pool Size=4").WithTestTelemetry(poolName);
        var held = new List<DbConnection>();
        for (var i = 0; i < 3; i++)
        {
            held.Add(await dataSource.OpenConnectionAsync());
        }

        Assert.True(meterProvider.ForceFlush());
        var all = ExportedPoint.From(exported);
        var points = all.Where(p => p.Tags.GetValueOrDefault(PoolAttribute) == poolName).ToList();
        foreach (var point in points.OrderBy(p => p.Name))
        {
            this.output.WriteLine($"{point.Meter} {point.Name} ({point.Type}, {point.Unit}) = {point.Value} count={point.Count} [{string.Join(", ", point.Tags.Select(t => $"{t.Key}={t.Value}"))}]");
        }

        // Utilisation as the alert computes it: used / max for the pool, one series each.
        var used = Assert.Single(points, p => p.Name == "db.client.connection.count" && p.Tags.GetValueOrDefault("db.client.connection.state") == "used");
        var max = Assert.Single(points, p => p.Name == "db.client.connection.max");
        Assert.Equal(Ours, used.Meter);
        Assert.Equal(0.75, used.Value / max.Value);

        // Npgsql's own meter (pool labelled with the connection string, host and port) is not exported.
        Assert.DoesNotContain(all, p => p.Meter == Npgsql);

        var wait = Assert.Single(points, p => p.Name == "db.client.connection.wait_time");
        Assert.Equal(Ours, wait.Meter);
        Assert.Equal(3, wait.Count);
        Assert.Contains(0.1, wait.Bounds);
        Assert.Contains(0.5, wait.Bounds);
        Assert.Single(points, p => p.Name == "db.client.connection.pending_requests");

        foreach (var connection in held)
        {
            await connection.DisposeAsync();
        }
    }

    /// <summary>The pool's value of an observable instrument as last observed (summed over its states, or one state).</summary>
    private static long Value(MetricCollector<long> gauge, string poolName, string? state = null)
        => gauge.GetMeasurementSnapshot()
            .Where(m => m.Tag(PoolAttribute) == poolName && (state is null || m.Tag("db.client.connection.state") == state))
            .Sum(m => m.Value);
}
