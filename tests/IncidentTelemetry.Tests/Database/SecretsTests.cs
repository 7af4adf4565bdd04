using System.Data.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace IncidentTelemetry.Tests.Database;

/// <summary>
/// Connection strings that hold passwords, against a real PostgreSQL that checks them: neither the password
/// nor the connection string reaches /metrics, whatever the pool is called and whether the login succeeds.
/// (Logins with user names, emails and passwords, and session writes, are covered with the login and cache
/// signals.)
/// </summary>
public sealed class SecretsTests
{
    private const string Password = "S3cr3t-Pa55w0rd-7f3a";
    private const string WrongPassword = "Wr0ng-Pa55w0rd-91c2";

    [Fact]
    public async Task Metrics_ConnectionStringsWithPasswords_NoPasswordInExposition()
    {
        using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync("secrets");
        var withPassword = await postgres.AddPasswordUserAsync("shop_app", Password, database);
        var wrong = withPassword.Replace(Password, WrongPassword, StringComparison.Ordinal);

        // The same password under three pools: one named by the app, one left to Npgsql's default name (derived
        // from the connection string), and one whose every open fails authentication.
        var named = new NpgsqlDataSourceBuilder(withPassword) { Name = "named-db" }.Build();
        var unnamed = NpgsqlDataSource.Create(withPassword + ";Application Name=unnamed");
        var failing = NpgsqlDataSource.Create(wrong);
        await using var app = await LoopbackApp.StartAsync(
            _ => { },
            a => a.MapGet("/query", async (DbDataSource source) =>
            {
                await using var command = source.CreateCommand("SELECT 1");
                return Results.Ok(await command.ExecuteScalarAsync());
            }),
            builderSetup: b => b.Services
                .AddIncidentTelemetryDataSource(_ => named, "named-db")
                .AddIncidentTelemetryDataSource(_ => unnamed, "unnamed-db")
                .AddIncidentTelemetryDataSource(_ => failing, "failing-db"));
        var unnamedDecorated = app.Services.GetRequiredKeyedService<DbDataSource>("unnamed-db");
        var failingDecorated = app.Services.GetRequiredKeyedService<DbDataSource>("failing-db");
        {
            using var http = new HttpClient();
            for (var i = 0; i < 5; i++)
            {
                (await http.GetAsync(new Uri(LoopbackApp.BaseUri(app), "/query"))).EnsureSuccessStatusCode();
                await using (var command = unnamedDecorated.CreateCommand("SELECT 2"))
                {
                    await command.ExecuteScalarAsync();
                }

                await Assert.ThrowsAsync<PostgresException>(async () => await failingDecorated.OpenConnectionAsync());
            }

            // A dependency call whose URL holds credentials and a key.
            (await http.GetAsync(new Uri($"http://shop_app:{Password}@127.0.0.1:{LoopbackApp.BaseUri(app).Port}/query?api_key={Password}"))).Dispose();

            var text = await Eventually.UntilAsync(
                () => http.GetStringAsync(new Uri(LoopbackApp.BaseUri(app), "/metrics")),
                t => t.Contains("db_client_connection_pool_name=\"unnamed-db\"", StringComparison.Ordinal) && t.Contains("db_client_connection_pool_name=\"failing-db\"", StringComparison.Ordinal),
                TimeSpan.FromSeconds(30),
                "every pool in the exposition");

            // The pools are there (the test would pass vacuously otherwise), and no secret is.
            Assert.Contains("db_client_connection_pool_name=\"named-db\"", text, StringComparison.Ordinal);
            Assert.Contains("db_client_operation_duration_seconds_count{", text, StringComparison.Ordinal);
            Assert.DoesNotContain(Password, text, StringComparison.Ordinal);
            Assert.DoesNotContain(WrongPassword, text, StringComparison.Ordinal);
            // No connection-string key either. Tests run in parallel and OpenTelemetry listens to meters by name
            // process-wide, so another test's logins may put the login method "password" into this exposition:
            // look for the key as a connection string spells it, not for the word.
            Assert.DoesNotContain("password=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("pwd=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("user id=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("username=", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("api_key", text, StringComparison.Ordinal);
        }
    }
}
