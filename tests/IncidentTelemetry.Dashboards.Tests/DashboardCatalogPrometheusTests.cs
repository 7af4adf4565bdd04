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
        var end = DateTimeOffset.UtcNow.AddMinutes(-1);
        using var prometheus = await PrometheusServer.StartWithHistoryAsync(new SyntheticMetrics(end.ToUnixTimeSeconds(), TimeSpan.FromHours(2)).Build());

        var failures = new List<string>();
        var queries = RenderedQueries.All();
        foreach (var q in queries)
        {
            try
            {
                if ((await prometheus.QueryAsync(q.Substituted, end)).Count == 0)
                {
                    failures.Add($"{q.Source}: no data for {q.Substituted}");
                }
            }
            catch (InvalidOperationException ex)
            {
                // Prometheus answered with an error (bad PromQL, many-to-many match, duplicate series).
                failures.Add($"{q.Source}: {ex.Message}");
            }
        }

        Assert.True(queries.Count > 90, $"only {queries.Count} queries");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Query_SyntheticScrapes_FailoverAndRestartCounted()
    {
        // The two panels whose arithmetic is least obvious: one failover and one restart in the last hour.
        var end = DateTimeOffset.UtcNow.AddMinutes(-1);
        using var prometheus = await PrometheusServer.StartWithHistoryAsync(new SyntheticMetrics(end.ToUnixTimeSeconds(), TimeSpan.FromHours(2)).Build());
        var overview = RenderedQueries.All().Where(q => q.Dashboard == "incidenttelemetry-overview").ToList();

        async Task<Dictionary<string, double>> Values(string title, string label)
        {
            var q = overview.Single(q => q.Title == title);
            return (await prometheus.QueryAsync(q.Substituted, end)).ToDictionary(r => r.Labels[label], r => r.Value);
        }

        Assert.Equal(new Dictionary<string, double> { ["mymaster"] = 1 }, await Values("Sentinel failovers", "master_name"));
        Assert.Equal(new Dictionary<string, double> { ["order-service"] = 1, ["inventory-service"] = 0 }, await Values("Restarts", "job"));
    }
}
