using System.Net;
using System.Text;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.Catalogue;

/// <summary>
/// docs/metrics.md against the sample's real /metrics, both ways: every catalogue row whose source is a .NET meter
/// (the runtime's, ASP.NET Core's, Npgsql's or this library's) is in the scrape with only documented labels, and every
/// family this library's meters export is in the catalogue. Rows from exporters (redis_exporter) and Prometheus itself
/// are not the service's output and are left out. The sample runs every role in one process on a real PostgreSQL with
/// a pool small enough to time out.
/// </summary>
public sealed class CatalogueTests(ITestOutputHelper output)
{
    /// <summary>Rows the sample cannot show, each with the test that scrapes it from a real component instead.</summary>
    private static readonly Dictionary<string, string> ShownElsewhere = new(StringComparer.Ordinal)
    {
        ["aspnetcore_identity_sign_in_check_password_attempts_total"] =
            "the sample's login is custom, without ASP.NET Core Identity; Authentication/IdentityLoginTests scrapes it from a real SignInManager",
        ["incident_redis_client_connection_failures_total"] = RedisClientRows,
        ["incident_redis_client_connection_restores_total"] = RedisClientRows,
        ["incident_redis_client_primary_changes_total"] = RedisClientRows,
    };

    private const string RedisClientRows =
        "the catalogue's sample keeps its sessions in memory; Redis/RedisClientFailoverTests scrapes these from a real Sentinel failover and checks their labels against this table";

    [Fact]
    public async Task Catalogue_SampleMetricsOutput_MatchesBothWays()
    {
        var text = await ScrapeExercisedSampleAsync();
        var families = ScrapedFamily.ParseAll(text);
        var rows = CatalogueTable.Load();
        output.WriteLine($"{families.Count} families scraped, {rows.Count} catalogue rows");

        var problems = new List<string>();
        foreach (var row in rows.Where(r => r.FromMeter))
        {
            if (!families.TryGetValue(row.Name, out var family))
            {
                if (!ShownElsewhere.ContainsKey(row.Name))
                {
                    problems.Add($"catalogue row {row.Name} ({row.Source}) is not in the sample's /metrics");
                }

                continue;
            }

            var type = family.Type == "counter" ? "counter" : family.Type;
            if (type != row.Type)
            {
                problems.Add($"{row.Name}: catalogue says {row.Type}, /metrics says {family.Type}");
            }

            var undocumented = family.Labels.Except(row.Labels).Order(StringComparer.Ordinal).ToList();
            if (undocumented.Count > 0)
            {
                problems.Add($"{row.Name}: labels not in the catalogue: {string.Join(", ", undocumented)}");
            }

            output.WriteLine($"{row.Name}: {string.Join(", ", family.Labels.Order(StringComparer.Ordinal))} [{string.Join(", ", family.Scopes)}]");
        }

        var catalogued = rows.Select(r => r.Name).ToHashSet(StringComparer.Ordinal);
        foreach (var family in families.Values.Where(f => f.Scopes.Any(s => s.StartsWith("IncidentTelemetry", StringComparison.Ordinal))))
        {
            if (!catalogued.Contains(family.Name))
            {
                problems.Add($"{family.Name} from {string.Join(", ", family.Scopes)} is not in docs/metrics.md");
            }
        }

        Assert.True(problems.Count == 0, string.Join('\n', problems));
        Assert.All(ShownElsewhere.Keys, name => Assert.Contains(name, catalogued));
    }

    private static async Task<string> ScrapeExercisedSampleAsync()
    {
        using var postgres = await PostgresServer.StartAsync();
        var database = await postgres.CreateDatabaseAsync("shop");

        // A pool of 2 whose opens give up after 4 s (Npgsql's Timeout also bounds the first connect, so not less on a
        // busy machine), and checkouts that hold their connection for 6 s: a burst of 8 checkouts times out.
        using var shop = await ShopService.StartAsync("all", new Dictionary<string, string>
        {
            ["Shop:Database"] = postgres.ConnectionString(database) + ";Timeout=4",
            ["Shop:PoolSize"] = "2",
            ["Shop:CheckoutHoldMilliseconds"] = "6000",
            ["Shop:InventoryRows"] = "100",
        });

        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { Timeout = TimeSpan.FromMinutes(2) };
        for (var i = 0; i < 3; i++)
        {
            (await http.GetAsync(new Uri(shop.BaseUri, $"/catalog/items/{i}"))).Dispose();
            (await http.PostAsync(new Uri(shop.BaseUri, $"/orders?sku={i}"), null)).Dispose();
            using var login = new StringContent("{\"user\":\"shopper1\",\"password\":\"correct horse\"}", Encoding.UTF8, "application/json");
            (await http.PostAsync(new Uri(shop.BaseUri, "/login"), login)).Dispose();
        }

        (await http.GetAsync(new Uri(shop.BaseUri, "/cart"))).Dispose();
        using (var wrong = new StringContent("{\"user\":\"mallory\",\"password\":\"guess\"}", Encoding.UTF8, "application/json"))
        {
            (await http.PostAsync(new Uri(shop.BaseUri, "/login"), wrong)).Dispose();
        }

        (await http.GetAsync(new Uri(shop.BaseUri, "/no/such/route"))).Dispose();
        var burst = await Task.WhenAll(Enumerable.Range(0, 8).Select(async _ =>
        {
            using var response = await http.PostAsync(new Uri(shop.BaseUri, "/checkout"), null);
            return response.StatusCode;
        }));
        Assert.Contains(HttpStatusCode.ServiceUnavailable, burst);

        var text = await http.GetStringAsync(new Uri(shop.BaseUri, "/metrics"));
        Assert.Contains("db_client_connection_timeouts_total{", text, StringComparison.Ordinal);
        return text;
    }
}
