using System.Net;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.Database;

/// <summary>
/// The real PostgreSQL server goes away while the sample payment-service serves checkouts, then comes back:
/// the service answers with its own 5xx, the metrics show the failures, the library throws nothing and
/// the endpoint keeps answering, and the pool metrics move again after the restart.
/// </summary>
public sealed class DatabaseFaultTests(ITestOutputHelper output)
{
    private const string Pool = "payments-db";
    private const int PoolSize = 4;

    [Fact]
    public async Task Checkout_PostgresStoppedAndRestarted_ServiceAnswers503MetricsRecordAndRecover()
    {
        using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync("payments");
        using var shop = await ShopService.StartAsync("payment-service", new Dictionary<string, string>
        {
            ["Shop:Database"] = postgres.ConnectionString(database) + ";Timeout=3;Command Timeout=5",
            ["Shop:PoolSize"] = PoolSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Shop:CheckoutHoldMilliseconds"] = "5",
        });
        using var http = new HttpClient { BaseAddress = shop.BaseUri, Timeout = TimeSpan.FromSeconds(60) };

        var before = await CheckoutsAsync(http, 20);
        Assert.All(before, s => Assert.Equal(HttpStatusCode.OK, s));
        var healthy = Exposition.Samples(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        await postgres.StopAsync();
        var during = await CheckoutsAsync(http, 30);
        var failed = during.Count(s => s == HttpStatusCode.ServiceUnavailable);

        // The endpoint answers during the outage; poll past its one-second response cache until every 503 is counted.
        var outageText = await Eventually.UntilAsync(
            () => http.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            text => Exposition.Sum(Exposition.Samples(text), "http_server_request_duration_seconds_count", ("http_route", "/checkout"), ("http_response_status_code", "503")) >= failed,
            TimeSpan.FromSeconds(30),
            "the 503s to be counted");
        var outage = Exposition.Samples(outageText);

        await postgres.RestartAsync();
        await Eventually.UntilAsync(
            async () => (await http.PostAsync(new Uri("/checkout", UriKind.Relative), null)).StatusCode,
            status => status == HttpStatusCode.OK,
            TimeSpan.FromSeconds(90),
            "checkouts to succeed after PostgreSQL is back",
            () => shop.Output);
        var after = await CheckoutsAsync(http, 20);

        // The restart can take less than the endpoint's one-second response cache: poll past it.
        var waitsAtOutage = Exposition.Sum(outage, "db_client_connection_wait_time_seconds_count", ("db_client_connection_pool_name", Pool));
        var recoveredText = await Eventually.UntilAsync(
            () => http.GetStringAsync(new Uri("/metrics", UriKind.Relative)),
            text => Exposition.Sum(Exposition.Samples(text), "db_client_connection_wait_time_seconds_count", ("db_client_connection_pool_name", Pool)) >= waitsAtOutage + after.Count,
            TimeSpan.FromSeconds(30),
            "the checkouts after recovery to be counted");
        var recovered = Exposition.Samples(recoveredText);

        var operationErrors = outage.Where(s => s.Name == "db_client_operation_duration_seconds_count" && s.Labels.ContainsKey("error_type")).Sum(s => s.Value);
        var errorTypes = outage.Where(s => s.Name == "db_client_operation_duration_seconds_count" && s.Labels.ContainsKey("error_type"))
            .Select(s => s.Labels["error_type"]).Distinct().ToList();
        var timeouts = Exposition.Sum(outage, "db_client_connection_timeouts_total", ("db_client_connection_pool_name", Pool));
        var waitsHealthy = Exposition.Sum(healthy, "db_client_connection_wait_time_seconds_count", ("db_client_connection_pool_name", Pool));
        var waitsOutage = Exposition.Sum(outage, "db_client_connection_wait_time_seconds_count", ("db_client_connection_pool_name", Pool));
        var waitsRecovered = Exposition.Sum(recovered, "db_client_connection_wait_time_seconds_count", ("db_client_connection_pool_name", Pool));
        output.WriteLine($"outage: {failed}/{during.Count} checkouts answered 503; error_type values on db_client_operation_duration: [{string.Join(", ", errorTypes)}]; timeouts_total {timeouts}");
        output.WriteLine($"connections handed out: {waitsHealthy} healthy, {waitsOutage} at the outage scrape, {waitsRecovered} after recovery");

        // The service's own errors are its own: every checkout during the outage is a 503 from its handler.
        Assert.All(during, s => Assert.Equal(HttpStatusCode.ServiceUnavailable, s));
        Assert.Equal(failed, Exposition.Sum(outage, "http_server_request_duration_seconds_count", ("http_route", "/checkout"), ("http_response_status_code", "503")));

        // While the server was down only the idle connections already in the pool (which the crash broke) were
        // handed out, and no failure is mistaken for a pool timeout. The commands that failed on the broken ones carry
        // error_type on the decorator's operation duration. Known gap, in docs/security.md: a refused connection is
        // counted by no pool metric, so during an outage the main signal is the service's own 5xx rate.
        Assert.InRange(waitsOutage - waitsHealthy, 0, PoolSize);
        Assert.Equal(0, timeouts);
        Assert.InRange(operationErrors, 0, PoolSize);
        Assert.All(errorTypes, t => Assert.Equal("Npgsql.NpgsqlException", t));

        // The endpoint answered during the outage with a valid exposition, and the pool metrics moved on afterwards.
        Assert.Empty(await PromtoolLint.FindingsAsync(outageText));
        Assert.All(after, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.True(waitsRecovered >= waitsOutage + after.Count, $"wait_time count {waitsRecovered} after recovery, {waitsOutage} before");
        Assert.Equal(0, Exposition.Sum(recovered, "db_client_connection_count", ("db_client_connection_pool_name", Pool), ("db_client_connection_state", "used")));

        // Nothing from the library was thrown or logged as a problem by the service (its one startup line is information).
        Assert.False(shop.HasExited, shop.Output);
        Assert.DoesNotContain(shop.Output.Split('\n'), l => l.Contains("IncidentTelemetry", StringComparison.Ordinal) && (l.StartsWith("warn:", StringComparison.Ordinal) || l.StartsWith("fail:", StringComparison.Ordinal) || l.StartsWith("crit:", StringComparison.Ordinal)));
        Assert.DoesNotContain("Unhandled exception", shop.Output, StringComparison.Ordinal);
    }

    private static async Task<List<HttpStatusCode>> CheckoutsAsync(HttpClient http, int count)
    {
        var statuses = new List<HttpStatusCode>();
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = PoolSize }, async (_, ct) =>
        {
            using var response = await http.PostAsync(new Uri("/checkout", UriKind.Relative), null, ct);
            lock (statuses)
            {
                statuses.Add(response.StatusCode);
            }
        });
        return statuses;
    }
}
