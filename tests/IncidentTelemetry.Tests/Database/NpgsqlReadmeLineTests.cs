using System.Data.Common;
using System.Globalization;
using IncidentTelemetry.Rules;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.Database;

/// <summary>
/// The README's line for a PostgreSQL pool, as a new user writes it, in a real service scraped by a real Prometheus
/// that evaluates the bundled rules. Serial: it loads the machine with eight callers for a minute.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class NpgsqlReadmeLineTests : IClassFixture<PostgresFixture>
{
    private const int TimeScale = 30;

    private readonly PostgresFixture server;
    private readonly ITestOutputHelper output;

    public NpgsqlReadmeLineTests(PostgresFixture server, ITestOutputHelper output)
    {
        this.server = server;
        this.output = output;
    }

    [Fact]
    public async Task ReadmeLine_PoolQueueing_OnePoolNameOnEverySeriesNoConnectionStringInLabelsAndQueueingAlertFires()
    {
        var suffix = Guid.NewGuid().ToString("N")[..6];
        var database = await this.server.CreateDatabaseAsync("paydb" + suffix);
        const string password = "Pg-Passw0rd-In-The-String";
        var user = "payuser" + suffix;
        var connectionString = await this.server.Server.AddPasswordUserAsync(user, password, database) + ";Maximum Pool Size=2;Timeout=30";

        await using var app = await LoopbackApp.StartAsync(
            o => o.ServiceName = "payment-service",
            a => a.MapGet("/checkout", async (DbDataSource payments) =>
            {
                await using var connection = await payments.OpenConnectionAsync();
                await using var command = connection.CreateCommand();
                command.CommandText = "SELECT pg_sleep(0.2)";
                await command.ExecuteNonQueryAsync();
                return Results.Ok();
            }),
            builderSetup: b => b.Services.AddIncidentTelemetryDataSource(          // The README's line, unchanged but for
                _ => NpgsqlDataSource.Create(connectionString), "payments-db"));   // the connection string.
        var target = LoopbackApp.BaseUri(app);

        using var directory = new TempDirectory("it-rules-");
        var rules = directory.Combine(RuleRenderer.FileName(RuleFormat.Prometheus));
        await File.WriteAllTextAsync(rules, RuleRenderer.Render(RulesConfiguration.Default.WithTimeScale(TimeScale), RuleFormat.Prometheus));
        using var prometheus = await PrometheusServer.StartAsync([new ScrapeJob("payment-service", [target.Authority])], [rules]);

        // Eight callers on a pool of two: six wait at any time.
        using var http = new HttpClient { BaseAddress = target, Timeout = TimeSpan.FromSeconds(60) };
        using var stop = new CancellationTokenSource();
        var load = Enumerable.Range(0, 8).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                (await http.GetAsync(new Uri("/checkout", UriKind.Relative))).EnsureSuccessStatusCode();
            }
        })).ToArray();

        try
        {
            var firing = await Eventually.UntilAsync(
                () => prometheus.GetAlertsAsync(),
                alerts => alerts.Any(a => a.Name == "ConnectionPoolQueueing" && a.State == "firing"),
                TimeSpan.FromSeconds(90),
                "ConnectionPoolQueueing to fire",
                () => prometheus.Output);
            var alert = firing.First(a => a.Name == "ConnectionPoolQueueing" && a.State == "firing");
            this.output.WriteLine($"{alert.Name} {alert.State} since {alert.ActiveAt:O}: {string.Join(", ", alert.Labels.Select(l => $"{l.Key}={l.Value}"))}");
            Assert.Equal("payments-db", alert.Labels["db_client_connection_pool_name"]);

            // Every db_client_connection_* series Prometheus holds names the pool as the README's line does.
            var pools = await prometheus.QueryAsync("count by (__name__, db_client_connection_pool_name) ({__name__=~\"db_client_connection_.*\"})");
            foreach (var (labels, value) in pools)
            {
                this.output.WriteLine($"{labels["__name__"]} pool={labels.GetValueOrDefault("db_client_connection_pool_name")} series={value}");
            }

            Assert.Contains(pools, p => p.Labels["__name__"] == "db_client_connection_count");
            Assert.Contains(pools, p => p.Labels["__name__"] == "db_client_connection_max");
            Assert.Contains(pools, p => p.Labels["__name__"] == "db_client_connection_pending_requests");
            Assert.All(pools, p => Assert.Equal("payments-db", p.Labels.GetValueOrDefault("db_client_connection_pool_name")));
            var usage = await prometheus.QueryScalarAsync("max(db_client_connection_count{db_client_connection_state=\"used\"}) / max(db_client_connection_max)");
            Assert.Equal(1.0, usage);

            // No fragment of the connection string in any label value of the service's own /metrics.
            var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));
            var values = Exposition.Samples(text).SelectMany(s => s.Labels.Values).Distinct().ToList();
            var port = this.server.Port.ToString(CultureInfo.InvariantCulture);
            Assert.Contains("payments-db", values);
            Assert.DoesNotContain(values, v => v.Contains(password, StringComparison.Ordinal)
                || v.Contains(user, StringComparison.Ordinal)
                || v.Contains(database, StringComparison.Ordinal)
                || v.Contains("Host=", StringComparison.OrdinalIgnoreCase)
                || v == port
                || v.Contains(":" + port, StringComparison.Ordinal));

            // The operation panels' grouping exists on the real series.
            var operations = await prometheus.QueryAsync("sum by (db_operation_name, db_system_name, db_client_connection_pool_name) (db_client_operation_duration_seconds_count)");
            var select = Assert.Single(operations);
            Assert.Equal("SELECT", select.Labels["db_operation_name"]);
            Assert.Equal("postgresql", select.Labels["db_system_name"]);
            Assert.Equal("payments-db", select.Labels["db_client_connection_pool_name"]);
        }
        finally
        {
            await stop.CancelAsync();
            await Task.WhenAll(load).WaitAsync(TimeSpan.FromSeconds(60)).ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }
}
