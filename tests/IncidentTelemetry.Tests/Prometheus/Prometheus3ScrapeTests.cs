using System.Net;
using System.Text.RegularExpressions;
using IncidentTelemetry.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;

namespace IncidentTelemetry.Tests.Prometheus;

/// <summary>
/// A scrape as Prometheus 3 sends it. Prometheus 3's default <c>scrape_protocols</c> are OpenMetricsText1.0.0,
/// OpenMetricsText0.0.1, PrometheusText1.0.0, PrometheusText0.0.4, and it asks for UTF-8 names
/// (<c>escaping=allow-utf-8</c>); the header below is built from the content-negotiation page of the Prometheus docs
/// ("Scrape protocol content negotiation"), in Prometheus 3's default order and weights. Prometheus 3 itself cannot be
/// installed here (Prometheus 2.42 is), so the header is sent by hand to the library's endpoint.
/// </summary>
public sealed partial class Prometheus3ScrapeTests : IDisposable
{
    /// <summary>Prometheus 3's default Accept header (scrape_protocols at their defaults, no protobuf).</summary>
    public const string Prometheus3Accept =
        "application/openmetrics-text;version=1.0.0;escaping=allow-utf-8;q=0.6,application/openmetrics-text;version=0.0.1;q=0.5," +
        "text/plain;version=1.0.0;escaping=allow-utf-8;q=0.4,text/plain;version=0.0.4;q=0.3,*/*;q=0.2";

    // Series the rules and dashboards select that an app with only this package cannot produce: the Identity meter
    // (needs ASP.NET Core Identity), the Redis client meter (IncidentTelemetry.StackExchangeRedis) and the operation
    // duration of SqlClient/Npgsql (this test's pool is SQLite, whose operations the library does measure; the names
    // are the same). Every other name must be in the scrape, as a metric name or a label name.
    private static readonly string[] ProducedElsewhere = ["aspnetcore_identity_", "incident_redis_client_"];

    // Series that exist only once their condition occurred: the pool maximum of a provider that has one (SQLite
    // has none; the Npgsql and SqlClient pool tests scrape it) and the first pool timeout.
    private static readonly string[] Conditional = ["db_client_connection_max", "db_client_connection_timeouts_total"];

    private readonly TempDirectory directory = new("it-prom3-");

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        this.directory.Dispose();
    }

    [Fact]
    public async Task Get_Prometheus3AcceptHeader_OpenMetricsWithEveryNameRulesAndDashboardsUse()
    {
        var database = this.directory.Combine("orders.db");
        await using var app = await LoopbackApp.StartAsync(
            _ => { },
            a => a.MapGet("/orders/{id}", (string id) => id),
            builderSetup: builder =>
            {
                builder.Services.AddDistributedMemoryCache();
                builder.Services.AddIncidentTelemetryDistributedCache("shared-cache");
                builder.Services.AddIncidentTelemetryDataSource(_ => SqliteFactory.Instance.CreateDataSource($"Data Source={database}"), "orders-db");
                builder.Services.AddHttpClient("inventory");
            });
        using var http = new HttpClient { BaseAddress = LoopbackApp.BaseUri(app) };

        // One of everything the app can do: a request, a named client call, a login, a cache round trip, a query.
        (await http.GetAsync(new Uri("/orders/1", UriKind.Relative))).EnsureSuccessStatusCode();
        var inventory = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");
        (await inventory.GetAsync(new Uri(LoopbackApp.BaseUri(app), "/orders/2"))).EnsureSuccessStatusCode();
        app.Services.GetRequiredService<ILoginTelemetry>().RecordAttempt(LoginResult.Failure, "password");
        var cache = app.Services.GetRequiredService<IDistributedCache>();
        await cache.SetAsync("cart", new byte[64]);
        await cache.GetAsync("cart");
        await using (var connection = await app.Services.GetRequiredService<System.Data.Common.DbDataSource>().OpenConnectionAsync())
        {
            await using var command = connection.CreateCommand();
            command.CommandText = "SELECT 1";
            await command.ExecuteScalarAsync();
        }

        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept", Prometheus3Accept);
        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        // OpenMetrics 1.0.0, the first choice; the package escapes names with underscores (Prometheus 3 accepts it:
        // the response names the escaping it applied).
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var contentType = response.Content.Headers.ContentType!.ToString();
        Assert.Equal("application/openmetrics-text", response.Content.Headers.ContentType.MediaType);
        Assert.Contains("version=1.0.0", contentType, StringComparison.Ordinal);
        Assert.Contains("escaping=underscores", contentType, StringComparison.Ordinal);
        Assert.EndsWith("# EOF\n", body, StringComparison.Ordinal);

        var samples = ExpositionSample.ParseAll(body);
        var present = new HashSet<string>(samples.Select(s => s.Name), StringComparer.Ordinal);
        present.UnionWith(samples.SelectMany(s => s.Labels.Keys));
        var missing = NamesTheRulesAndDashboardsUse()
            .Where(name => !ProducedElsewhere.Any(prefix => name.StartsWith(prefix, StringComparison.Ordinal)) && !Conditional.Contains(name))
            .Where(name => !present.Contains(name) && !present.Any(p => p.StartsWith(name + "_", StringComparison.Ordinal)))
            .ToList();
        Assert.True(missing.Count == 0, $"names the rules or dashboards use, not in a Prometheus 3 scrape: {string.Join(", ", missing)}");
    }

    /// <summary>Metric and label names in the rules' expressions and the dashboards' queries (recording-rule names, which contain ':', excluded).</summary>
    private static SortedSet<string> NamesTheRulesAndDashboardsUse()
    {
        var sources = new List<string> { File.ReadAllText(Repository.File("rules", "incident-telemetry.rules.yml")) };
        sources.AddRange(Directory.GetFiles(Repository.File("dashboards"), "*.json").Select(File.ReadAllText));
        var names = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var source in sources)
        {
            foreach (Match match in Name().Matches(source))
            {
                names.Add(match.Value);
            }
        }

        return names;
    }

    // The families this package produces (the only prefixes its own and the built-in meters use), not preceded or
    // followed by ':' (recording rules) or other name characters.
    [GeneratedRegex(@"(?<![\w:])(?:http_(?:server|client)|process|dotnet_process|db_client|incident|aspnetcore_identity)_[a-z0-9_]*[a-z0-9](?![\w:])")]
    private static partial Regex Name();
}
