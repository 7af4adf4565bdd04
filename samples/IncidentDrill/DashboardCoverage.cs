using LocalComponents;

namespace IncidentDrill;

/// <summary>
/// Runs every query of every dashboard committed in dashboards/ (the JSON a user imports into Grafana) against
/// a drill's Prometheus, while the drill's services are still up, and remembers which returned data. Over all
/// drills, every panel must have shown data in at least one of them, and no query may fail.
/// </summary>
internal sealed class DashboardCoverage
{
    /// <summary>
    /// Metrics the sample shop does not emit, with the reason; queries on them are still run and must not
    /// fail, but may return nothing.
    /// </summary>
    private static readonly (string Metric, string Reason)[] NoSourceInShop =
    [
        ("aspnetcore_identity_", "user-service has its own login endpoint (counted by incident_login_attempts_total), not ASP.NET Core Identity"),
    ];

    private readonly IReadOnlyList<GrafanaQuery> queries;
    private readonly Dictionary<string, string> titles;
    private readonly Dictionary<string, List<string>> dataIn = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> errors = new(StringComparer.Ordinal);

    public DashboardCoverage()
        : this(Repository.File("dashboards"))
    {
    }

    public DashboardCoverage(string directory)
    {
        var dashboards = GrafanaDashboard.Load(directory);
        this.queries = [.. dashboards.SelectMany(GrafanaDashboard.Queries)];
        this.titles = dashboards.Select(GrafanaDashboard.Identity).ToDictionary(d => d.Uid, d => d.Title, StringComparer.Ordinal);
    }

    public int Count => this.queries.Count;

    /// <summary>Runs every query now; returns how many returned data.</summary>
    public async Task<int> CheckAsync(string drill, PrometheusServer prometheus, CancellationToken token)
    {
        var withData = 0;
        foreach (var query in this.queries)
        {
            try
            {
                var result = await prometheus.QueryAsync(query.Substituted, token);
                if (result.Count > 0)
                {
                    withData++;
                    if (!this.dataIn.TryGetValue(query.Source, out var drills))
                    {
                        this.dataIn[query.Source] = drills = [];
                    }

                    drills.Add(drill);
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or InvalidOperationException)
            {
                this.errors.TryAdd(query.Source, $"{ex.Message} ({query.Substituted})");
            }
        }

        return withData;
    }

    /// <summary>The queries that failed, and (when every drill ran) those that returned no data in any drill.</summary>
    public IReadOnlyList<string> Problems(bool everyDrillRan)
    {
        var problems = this.errors.Select(e => $"query failed: {e.Key}: {e.Value}").ToList();
        if (everyDrillRan)
        {
            problems.AddRange(this.queries
                .Where(q => !this.dataIn.ContainsKey(q.Source) && !NoSourceInShop.Any(n => q.Substituted.Contains(n.Metric, StringComparison.Ordinal)))
                .Select(q => $"no data in any drill: {q.Source}: {q.Substituted}")
                .Distinct(StringComparer.Ordinal));
        }

        return problems;
    }

    /// <summary>
    /// The dashboard panels that read one of <paramref name="metrics"/> and showed data in the drill, as
    /// <c>dashboard title › panel title</c>.
    /// </summary>
    public IReadOnlyList<string> Showing(string drill, IReadOnlySet<string> metrics)
        => [.. this.queries
            .Where(q => q.Kind == GrafanaQueryKind.Panel && this.dataIn.TryGetValue(q.Source, out var drills) && drills.Contains(drill))
            .Where(q => metrics.Any(m => ReadsMetric(q.Substituted, m)))
            .Select(q => $"{this.titles.GetValueOrDefault(q.Dashboard, q.Dashboard)} › {q.Title}")
            .Distinct(StringComparer.Ordinal)];

    public string Summary()
    {
        var sources = this.queries.Select(q => q.Source).Distinct(StringComparer.Ordinal).Count();
        var exempt = string.Join("; ", NoSourceInShop.Select(n => $"{n.Metric}*: {n.Reason}"));
        return $"dashboards: {this.dataIn.Count} of {sources} panel, variable and annotation queries returned data in at least one drill; {this.errors.Count} failed; may be empty: {exempt}";
    }

    private static bool ReadsMetric(string query, string metric)
    {
        for (var at = query.IndexOf(metric, StringComparison.Ordinal); at >= 0; at = query.IndexOf(metric, at + 1, StringComparison.Ordinal))
        {
            var end = at + metric.Length;
            var before = at == 0 || !IsNameChar(query[at - 1]);
            var after = end == query.Length || !IsNameChar(query[end]);
            if (before && after)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsNameChar(char c) => char.IsLetterOrDigit(c) || c is '_' or ':';
}
