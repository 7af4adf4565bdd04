using System.Globalization;

namespace IncidentDrill.Report;

/// <summary>How far one series (a recorded series, or an alert's left-hand side) differs between the two evaluators.</summary>
/// <param name="Name">The recorded series' name, or the alert's name.</param>
/// <param name="Kind">
/// <c>recorded</c> (each evaluator's stored results, read at the same timestamps), <c>expression</c> (the recording
/// rule's expression evaluated by each query engine at the same timestamps: no evaluation timing in it) or <c>alert</c>
/// (the alert's left-hand side, queried from each).
/// </param>
/// <param name="Points">Timestamps at which both had a value, over every series of that name.</param>
/// <param name="Median">Median relative difference |prometheus − victoriametrics| / max(|prometheus|, |victoriametrics|) (0 where both are 0).</param>
/// <param name="Max">Largest relative difference.</param>
internal sealed record ValueDifference(string Name, string Kind, int Points, double Median, double Max);

/// <summary>
/// Where Prometheus and vmalert (over VictoriaMetrics) differ in value, on the same scraped samples: Prometheus
/// remote-writes what it scrapes, so both evaluators read identical input. Each recorded series is read from both at
/// the same timestamps (1 s apart, <c>query_range</c>), as a dashboard would; so is each recording rule's expression
/// (each engine evaluating it at exactly those timestamps, which takes the evaluators' timing out) and an expected
/// alert's left-hand side (the series its chart draws), each engine reading its own recorded inputs.
/// </summary>
internal static class EvaluatorComparison
{
    public static async Task<IReadOnlyList<ValueDifference>> CompareAsync(
        Drill drill, Uri prometheus, Uri victoriaMetrics, DateTimeOffset from, DateTimeOffset to, CancellationToken token)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var prom = new PrometheusApi(prometheus, http);
        var vm = new PrometheusApi(victoriaMetrics, http);
        var (rules, _) = await prom.RulesAsync(token);
        var recording = rules.Where(r => r.Kind == "recording").DistinctBy(r => r.Name, StringComparer.Ordinal).ToList();
        var queries = recording.Select(r => (r.Name, Kind: "recorded", Query: r.Name))
            .Concat(recording.Select(r => (r.Name, Kind: "expression", r.Query)))
            .Concat(drill.ExpectedAlerts.Select(a => rules.FirstOrDefault(r => r.Kind == "alerting" && r.Name == a && r.Labels.GetValueOrDefault("service") == drill.ServiceOf(a)))
                .OfType<LoadedRule>()
                .Select(r => (r.Name, Kind: "alert", Query: WatchedSeries.Of(r.Query).Left)))
            .ToList();

        // Whole seconds on both sides: the two engines then evaluate at exactly the same timestamps.
        var start = DateTimeOffset.FromUnixTimeSeconds(from.ToUnixTimeSeconds() + 1);
        var end = DateTimeOffset.FromUnixTimeSeconds(to.ToUnixTimeSeconds());
        var differences = new List<ValueDifference>();
        foreach (var (name, kind, query) in queries)
        {
            var (a, _) = await prom.RangeAsync(query, start, end, TimeSpan.FromSeconds(1), token);
            var (b, _) = await vm.RangeAsync(query, start, end, TimeSpan.FromSeconds(1), token);
            var relative = Relative(a, b);
            if (relative.Count > 0)
            {
                relative.Sort();
                differences.Add(new ValueDifference(name, kind, relative.Count, relative[relative.Count / 2], relative[^1]));
            }
        }

        return differences;
    }

    /// <summary>The relative difference at every timestamp where a series with the same labels has a finite value in both.</summary>
    public static List<double> Relative(IReadOnlyList<RangeSeries> prometheus, IReadOnlyList<RangeSeries> victoriaMetrics)
    {
        var other = victoriaMetrics.GroupBy(s => Key(s.Labels), StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.SelectMany(s => s.Points).GroupBy(p => p.Time).ToDictionary(p => p.Key, p => p.First().Value), StringComparer.Ordinal);
        var relative = new List<double>();
        foreach (var series in prometheus)
        {
            if (!other.TryGetValue(Key(series.Labels), out var points))
            {
                continue;
            }

            foreach (var (time, value) in series.Points)
            {
                if (points.TryGetValue(time, out var v) && double.IsFinite(value) && double.IsFinite(v))
                {
                    var scale = Math.Max(Math.Abs(value), Math.Abs(v));
                    relative.Add(scale == 0 ? 0 : Math.Abs(value - v) / scale);
                }
            }
        }

        return relative;
    }

    /// <summary>"job:…:rate1m (recorded): 412 points, median 1.2 %, max 8.0 %".</summary>
    public static string Describe(ValueDifference d)
        => string.Create(CultureInfo.InvariantCulture, $"{d.Name} ({d.Kind}): {d.Points} points, median {d.Median * 100:0.0} %, max {d.Max * 100:0.0} %");

    private static string Key(IReadOnlyDictionary<string, string> labels)
        => string.Join(',', labels.Where(l => l.Key != "__name__").OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));
}
