using System.Globalization;
using System.Text.Json;
using IncidentTelemetry.Dashboards.Tests.Infrastructure;

namespace IncidentTelemetry.Dashboards.Tests;

/// <summary>
/// Every query of every dashboard, run by a real Prometheus over two hours of synthetic scrapes shaped like the
/// services' exposition: no query errors (bad PromQL, many-to-many matches, duplicate series) and every one
/// returns data. The run against the sample services' real scrapes belongs to the incident drills.
/// </summary>
public sealed class DashboardCatalogPrometheusTests
{
    [Fact]
    public async Task AllQueries_SyntheticScrapes_EveryQueryReturnsData()
    {
        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60;
        await using var prometheus = await PrometheusServer.StartAsync(new SyntheticMetrics(end, TimeSpan.FromHours(2)).Build());
        using var http = new HttpClient { BaseAddress = prometheus.Address };

        var failures = new List<string>();
        var queries = DashboardCatalog.AllQueries();
        foreach (var q in queries)
        {
            var url = $"api/v1/query?query={Uri.EscapeDataString(q.Substituted)}&time={end.ToString(CultureInfo.InvariantCulture)}";
            using var response = await http.GetAsync(new Uri(url, UriKind.Relative));
            using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            var root = body.RootElement;
            if (root.GetProperty("status").GetString() != "success")
            {
                failures.Add($"{q.Source}: {root.GetProperty("error").GetString()}");
            }
            else if (root.GetProperty("data").GetProperty("result").GetArrayLength() == 0)
            {
                failures.Add($"{q.Source}: no data for {q.Substituted}");
            }
        }

        Assert.True(queries.Count > 90, $"only {queries.Count} queries");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Query_SyntheticScrapes_FailoverAndRestartCounted()
    {
        // The two panels whose arithmetic is least obvious: one failover and one restart in the last hour.
        var end = DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60;
        await using var prometheus = await PrometheusServer.StartAsync(new SyntheticMetrics(end, TimeSpan.FromHours(2)).Build());
        using var http = new HttpClient { BaseAddress = prometheus.Address };
        var overview = DashboardCatalog.AllQueries().Where(q => q.Dashboard == "incidenttelemetry-overview").ToList();

        async Task<Dictionary<string, double>> Values(string title, string label)
        {
            var q = overview.Single(q => q.Title == title);
            var url = $"api/v1/query?query={Uri.EscapeDataString(q.Substituted)}&time={end.ToString(CultureInfo.InvariantCulture)}";
            using var body = JsonDocument.Parse(await http.GetStringAsync(new Uri(url, UriKind.Relative)));
            return body.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().ToDictionary(
                r => r.GetProperty("metric").GetProperty(label).GetString()!,
                r => double.Parse(r.GetProperty("value")[1].GetString()!, CultureInfo.InvariantCulture));
        }

        Assert.Equal(new Dictionary<string, double> { ["mymaster"] = 1 }, await Values("Sentinel failovers", "master_name"));
        Assert.Equal(new Dictionary<string, double> { ["order-service"] = 1, ["inventory-service"] = 0 }, await Values("Restarts", "job"));
    }
}
