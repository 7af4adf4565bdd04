using System.Globalization;
using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests.Definitions;

/// <summary>
/// The five behaviours the reviews ask for, each both ways, on inputs shaped as the exporters write them:
/// cumulative buckets on the library's boundaries, counters that only grow (and restart from zero after a gap),
/// gauges with noise. Two clusters behind one ruler (aggregated by <c>cluster</c>), a service with its own
/// thresholds (checkout) and one with only the defaults (catalog).
/// </summary>
public sealed class BehaviourTests
{
    private const string Config = """
        aggregationLabels: [cluster]
        otherServices: false
        services:
          checkout:
            team: web
            priority: P2
            thresholds:
              queryP95Seconds: 0.25
              minRequestRate: 0.5
          catalog:
            team: shop
        """;

    private static readonly TimeSpan Scrape = TimeSpan.FromSeconds(15);

    private static readonly TimeSpan HalfMinute = TimeSpan.FromSeconds(30);

    /// <summary>Minutes into the 45-minute spike at which its alerts must still fire, with the values they show.</summary>
    private static readonly (int Minute, string Factor, string ZScore)[] SpikeMinutes =
        [(10, "2.958", "9.791"), (20, "2.935", "9.674"), (30, "2.917", "9.584"), (40, "3.024", "10.12"), (44, "3.02", "10.1")];

    private const string CatalogA = "cluster=\"a\", job=\"catalog\", instance=\"catalog-1:8080\"";
    private const string CatalogB = "cluster=\"b\", job=\"catalog\", instance=\"catalog-1:8080\"";
    private const string CheckoutA = "cluster=\"a\", job=\"checkout\", instance=\"checkout-1:8080\"";

    private static RulesConfiguration Configuration => RulesConfiguration.Parse(Config);

    [Fact]
    public async Task ForCarriesTheDuration_BreachOfFiveMinutesAndAScrapeFires_FourMinutesStaysQuiet()
    {
        // Database operations at 20 ms, then at 0.6 s (over the 500 ms default) for 5m15s in cluster a and for
        // 4m in cluster b, then fast again. The 1m window adds at most 45s to the condition, so only a fires.
        var db = ", db_system_name=\"postgresql\", otel_scope_name=\"Npgsql\"";
        var test = new RuleTest("for carries the duration: 5m15s over 500ms fires, 4m does not", Scrape,
            [
                .. Histogram("db_client_operation_duration_seconds", CatalogA + db, (20, 0.02, 40), (20, 0.6, 21), (20, 0.02, 40)),
                .. Histogram("db_client_operation_duration_seconds", CatalogB + db, (20, 0.02, 40), (20, 0.6, 16), (20, 0.02, 40)),
            ],
            [
                new(Seconds((14 * 60) + 45), "DatabaseQueryLatencyP95High", []),
                new(Seconds((15 * 60) + 30), "DatabaseQueryLatencyP95High", [Expected("DatabaseQueryLatencyP95High", "warning", "catalog", "P3", "shop", "cluster=\"a\", job=\"catalog\"",
                    "catalog: database query P95 above 500ms", "95 % of the database operations of catalog took up to 733.3ms over 1m (threshold 500ms). A missing index or a locked table?")]),
                new(Seconds(17 * 60), "DatabaseQueryLatencyP95High", []),
            ]);

        // Logins: 2/s for 70m, then 20/s (ten times normal, as in w49-1) for 2m15s in a and for 1m in b.
        var logins = new RuleTest("for carries the duration: logins 10x for 2m15s fire, 1m does not", Scrape,
            [
                ($"incident_login_attempts_total{{{CatalogA}, incident_login_result=\"success\"}}", Series.Counter(Scrape, (2, 280), (20, 9), (2, 40))),
                ($"incident_login_attempts_total{{{CatalogB}, incident_login_result=\"success\"}}", Series.Counter(Scrape, (2, 280), (20, 4), (2, 40))),
            ],
            [
                new(Seconds((72 * 60) + 0), "LoginRateSpike", []),
                new(Seconds((72 * 60) + 30), "LoginRateSpike", [Expected("LoginRateSpike", "warning", "catalog", "P3", "shop", "cluster=\"a\", job=\"catalog\"",
                    "catalog: login attempts above 3x normal",
                    "Login attempts on catalog run at 7.75 times their normal rate over 1m (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last 1h20m; threshold 3x). Sessions were lost (Redis eviction or failover) or someone is guessing passwords.")]),
                new(Seconds(74 * 60), "LoginRateSpike", []),
            ]);

        await AssertPassesAsync(test, logins);
    }

    [Fact]
    public async Task AtMeansAtTheValue_PoolAt90And75PercentFires_JustBelowStaysQuiet()
    {
        // A pool of 50 whose "used" gauge moves between scrapes: at its busiest 45 (90 %) in a, 44 (88 %) in b.
        var poolA = CheckoutA + ", db_client_connection_pool_name=\"orders\"";
        var poolB = "cluster=\"b\", job=\"checkout\", instance=\"checkout-1:8080\", db_client_connection_pool_name=\"orders\"";
        var test = new RuleTest("at means at: 45 of 50 is critical, 44 of 50 only warning", Scrape,
            [
                ($"db_client_connection_count{{{poolA}, db_client_connection_state=\"used\"}}", Noisy(41, 45, 60, seed: 1)),
                ($"db_client_connection_max{{{poolA}}}", "50x60"),
                ($"db_client_connection_count{{{poolB}, db_client_connection_state=\"used\"}}", Noisy(38, 44, 60, seed: 2)),
                ($"db_client_connection_max{{{poolB}}}", "50x60"),
            ],
            [
                new(At(0, 1, 0), "ConnectionPoolUtilisationCritical", []),
                new(At(0, 10, 0), "ConnectionPoolUtilisationCritical", [Expected("ConnectionPoolUtilisationCritical", "critical", "checkout", "P2", "web", poolA,
                    "checkout: connection pool orders nearly exhausted", "Pool orders on checkout-1:8080 had 90% of its connections in use at its busiest in each 1m (critical at 90%). Requests are queueing or about to time out.")]),
                new(At(0, 10, 0), "ConnectionPoolUtilisationHigh", [
                    Expected("ConnectionPoolUtilisationHigh", "warning", "checkout", "P2", "web", poolA, "checkout: connection pool orders at 75% in use or more",
                        "Pool orders on checkout-1:8080 had 90% of its connections in use at its busiest in each 1m (warning at 75%). Requests will soon queue for a connection."),
                    Expected("ConnectionPoolUtilisationHigh", "warning", "checkout", "P2", "web", poolB, "checkout: connection pool orders at 75% in use or more",
                        "Pool orders on checkout-1:8080 had 88% of its connections in use at its busiest in each 1m (warning at 75%). Requests will soon queue for a connection."),
                ]),
            ]);

        await AssertPassesAsync(test);
    }

    [Fact]
    public async Task MemoryGrowthRate_LeakFiresHoursBefore80Percent_WarmUpPlateauAndGcSawtoothStayQuiet()
    {
        // The w50-2 leak on a fresh instance: 100 MB an hour from 500 MB towards a 2 GB limit (80 % after 11h).
        // Sampled every 30 s, as a scrape takes it (a gauge between one-minute samples is not a straight line).
        var leak = Enumerable.Range(0, 361).Select(i => (double?)(500e6 + (i * 100e6 / 120) + Wobble(i, 3, 5e6)));
        var leaking = new RuleTest("memory growth: 100MB/h fires within the first hour, long before 80%", HalfMinute,
            [
                ($"dotnet_process_memory_working_set_bytes{{{CatalogA}}}", Series.Values(leak)),
                ($"incident_process_memory_limit_bytes{{{CatalogA}, incident_memory_limit_source=\"cgroup\"}}", "2e9x360"),
                ($"process_uptime_seconds{{{CatalogA}}}", "0+30x360"),
            ],
            [
                new(At(0, 40, 0), "MemoryGrowthTrend", []),
                new(At(3, 0, 0), "MemoryNearLimit", []),
                new(At(1, 0, 0), "MemoryGrowthTrend", [Expected("MemoryGrowthTrend", "warning", "catalog", "P3", "shop", "cluster=\"a\", job=\"catalog\", instance=\"catalog-1:8080\"",
                    "catalog: memory grows fast enough to reach its limit within 24h",
                    "The working set of catalog-1:8080 has grown for 20m at a rate that reaches its memory limit in 14h 18m 17s (threshold 24h). A leak ends in an out-of-memory kill.")]),
            ]);

        // A healthy instance: the working set climbs to 400 MB over its first 12 minutes (caches, JIT), then the
        // GC saws it between 400 and 460 MB every 4 minutes, with noise, for three hours.
        var healthy = Enumerable.Range(0, 361).Select(i => (double?)(i < 24 ? 50e6 + (i * 350e6 / 24) : 400e6 + ((i / 2 % 4) * 20e6) + Wobble(i, 7, 5e6)));
        var warmUp = new RuleTest("memory growth: warm-up plateau and GC sawtooth stay quiet", HalfMinute,
            [
                ($"dotnet_process_memory_working_set_bytes{{{CatalogB}}}", Series.Values(healthy)),
                ($"incident_process_memory_limit_bytes{{{CatalogB}, incident_memory_limit_source=\"cgroup\"}}", "512e6x360"),
                ($"process_uptime_seconds{{{CatalogB}}}", "0+30x360"),
            ],
            [.. Enumerable.Range(1, 36).Select(i => new AlertCheck(TimeSpan.FromMinutes(5 * i), "MemoryGrowthTrend", []))]);

        await AssertPassesAsync(HalfMinute, leaking, warmUp);
    }

    [Fact]
    public async Task LongSpikeKeepsItsAlert_45MinuteTriplingAlertsThroughout_NoisyNormalTrafficStaysQuiet()
    {
        // 25 requests a second with ±10 % noise for 90 minutes, then 75 a second for 45 minutes.
        var minute = TimeSpan.FromMinutes(1);
        var spike = new RuleTest("a 45-minute tripling keeps TrafficSpike and RequestRateAnomaly firing", minute,
            [Requests(CatalogA, minute, Enumerable.Range(0, 150).Select(i => (i is >= 90 and < 135 ? 75 : 25) * (1 + Wobble(i, 11, 0.1))))],
            [
                new(At(1, 28, 0), "TrafficSpike", []),
                new(At(1, 28, 0), "RequestRateAnomaly", []),
                .. SpikeMinutes.SelectMany(m => new[]
                {
                    new AlertCheck(At(1, 30 + m.Minute, 0), "TrafficSpike", [Expected("TrafficSpike", "warning", "catalog", "P3", "shop", "cluster=\"a\", job=\"catalog\"", "catalog: traffic above 2x its normal volume",
                        $"catalog serves {m.Factor} times its normal request rate over 5m (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last 1h20m; threshold 2x). Check that its connection pool and dependencies can take it.")]),
                    new AlertCheck(At(1, 30 + m.Minute, 0), "RequestRateAnomaly", [Expected("RequestRateAnomaly", "warning", "catalog", "P3", "shop", "cluster=\"a\", job=\"catalog\"", "catalog: request rate far from normal",
                        $"The request rate of catalog is {m.ZScore} standard deviations from its normal (the same hour last week; in the first week, the nearer of the same hour yesterday and the median of the last 1h20m; threshold ±3). A surge (campaign, retry storm) or a drop (clients cannot reach it).")]),
                }),
            ]);
        var calm = new RuleTest("noisy normal traffic for three hours: no spike, no anomaly", minute,
            [Requests(CatalogB, minute, Enumerable.Range(0, 180).Select(i => 25 * (1 + Wobble(i, 13, 0.1))))],
            [.. Enumerable.Range(1, 18).SelectMany(i => new[] { new AlertCheck(TimeSpan.FromMinutes(10 * i), "TrafficSpike", []), new AlertCheck(TimeSpan.FromMinutes(10 * i), "RequestRateAnomaly", []) })]);

        await AssertPassesAsync(minute, spike, calm);
    }

    [Fact]
    public async Task TrafficFloorsPerService_QuietServiceAlertsWithTheDefaultFloor_ConfiguredFloorKeepsItQuiet()
    {
        // 0.2 requests a second, all taking 0.9 s (under twice the 500 ms threshold, so never a route slow by design): catalog (default floor 0.1/s) alerts, in cluster a only (b is
        // fast); checkout (floor 0.5/s) does not. catalog-a restarts after 4 minutes: a two-scrape gap, then its
        // counters start again from zero.
        var route = ", http_route=\"/items\", http_request_method=\"GET\", otel_scope_name=\"Microsoft.AspNetCore.Hosting\"";
        var test = new RuleTest("traffic floors: 0.2 requests/s alert for catalog, not for checkout", Scrape,
            [
                .. Histogram("http_server_request_duration_seconds", CatalogA + route, (0.2, 0.9, 16)).Select(s => (s.Series, s.Values + " _ _ " + Counters(s.Series, 0.2, 0.9, 60))),
                .. Histogram("http_server_request_duration_seconds", CatalogB + route, (0.2, 0.05, 78)),
                .. Histogram("http_server_request_duration_seconds", CheckoutA + route, (0.2, 0.9, 78)),
            ],
            [
                new(At(0, 8, 0), "ServiceLatencyP95High", []),
                new(At(0, 15, 0), "ServiceLatencyP95High", [Expected("ServiceLatencyP95High", "warning", "catalog", "P3", "shop", "cluster=\"a\", job=\"catalog\"",
                    "catalog: P95 latency above 500ms", "95 % of the requests to catalog took up to 987.5ms over 1m (threshold 500ms).")]),
                new(At(0, 15, 0), "EndpointLatencyP95High", [Expected("EndpointLatencyP95High", "warning", "catalog", "P3", "shop", "cluster=\"a\", job=\"catalog\", http_route=\"/items\"",
                    "catalog: /items P95 latency above 500ms", "95 % of the requests to /items on catalog took up to 987.5ms over 1m (threshold 500ms).")]),
            ]);

        await AssertPassesAsync(test);
    }

    private static TimeSpan At(int hours, int minutes, int seconds) => new(hours, minutes, seconds);

    private static TimeSpan Seconds(int seconds) => TimeSpan.FromSeconds(seconds);

    /// <summary>A deterministic wobble in [-amplitude, amplitude] (the same for a given sample and seed).</summary>
    private static double Wobble(int sample, int seed, double amplitude) => amplitude * ((((sample * 7919) + (seed * 104729)) % 201) - 100) / 100.0;

    /// <summary>A gauge that moves between <paramref name="low"/> and <paramref name="high"/> (reaching both).</summary>
    private static string Noisy(int low, int high, int samples, int seed)
        => Series.Values(Enumerable.Range(0, samples).Select(i => (double?)(i % 5 == 2 ? high : low + Math.Abs(Wobble(i, seed, 1)) * (high - 1 - low))).Select(v => (double?)Math.Round(v!.Value)));

    /// <summary>A request counter whose rate per second is given per sample.</summary>
    private static (string, string) Requests(string labels, TimeSpan interval, IEnumerable<double> perSecond)
    {
        double total = 0;
        var values = new List<double?> { 0 };
        foreach (var rate in perSecond)
        {
            total += Math.Round(rate * interval.TotalSeconds);
            values.Add(total);
        }

        return ($"http_server_request_duration_seconds_count{{{labels}, http_route=\"/items\", http_request_method=\"GET\"}}", Series.Values(values));
    }

    /// <summary>
    /// The _bucket (every boundary of the library, cumulative), _count and _sum series of a histogram whose
    /// observations each take the segment's seconds, at its rate, for its number of samples.
    /// </summary>
    private static IEnumerable<(string Series, string Values)> Histogram(string name, string labels, params (double PerSecond, double Seconds, int Samples)[] segments)
    {
        foreach (var le in Series.Buckets.Select(b => (double?)b).Append(null))
        {
            var text = le is null ? "+Inf" : le.Value.ToString(CultureInfo.InvariantCulture);
            yield return ($"{name}_bucket{{{labels}, le=\"{text}\"}}", Series.Counter(Scrape, [.. segments.Select(s => (le is null || s.Seconds <= le ? s.PerSecond : 0, s.Samples))]));
        }

        yield return ($"{name}_count{{{labels}}}", Series.Counter(Scrape, [.. segments.Select(s => (s.PerSecond, s.Samples))]));
        yield return ($"{name}_sum{{{labels}}}", Series.Counter(Scrape, [.. segments.Select(s => (s.PerSecond * s.Seconds, s.Samples))]));
    }

    /// <summary>The values of one series of <see cref="Histogram"/> after a restart: from zero again.</summary>
    private static string Counters(string series, double perSecond, double seconds, int samples)
    {
        var match = Histogram("x", "y", (perSecond, seconds, samples)).ToList();
        var suffix = series[..series.IndexOf('{', StringComparison.Ordinal)];
        var le = series.Contains("le=\"", StringComparison.Ordinal) ? series[(series.IndexOf("le=\"", StringComparison.Ordinal) + 4)..series.LastIndexOf('"')] : null;
        var wanted = suffix.EndsWith("_bucket", StringComparison.Ordinal) ? $"x_bucket{{y, le=\"{le}\"}}" : suffix.EndsWith("_count", StringComparison.Ordinal) ? "x_count{y}" : "x_sum{y}";
        return match.Single(m => m.Series == wanted).Values;
    }

    private static ExpectedAlert Expected(string alert, string severity, string service, string priority, string team, string seriesLabels, string summary, string description)
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["severity"] = severity, ["team"] = team, ["service"] = service, ["priority"] = priority };
        foreach (var pair in seriesLabels.Split(", ", StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            labels[pair[..eq]] = pair[(eq + 1)..].Trim('"');
        }

        return new ExpectedAlert(labels, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["summary"] = summary,
            ["description"] = description,
            ["runbook_url"] = RulesConfiguration.DefaultRunbookBaseUrl + alert + ".md",
        });
    }

    private static Task AssertPassesAsync(params RuleTest[] tests) => AssertPassesAsync(Scrape, tests);

    private static async Task AssertPassesAsync(TimeSpan evaluationInterval, params RuleTest[] tests)
    {
        using var dir = new TempDirectory("it-rules-behaviour-");
        var (exit, output) = await RuleTestFile.RunAsync(dir.Path, Configuration, evaluationInterval, tests);

        Assert.True(exit == 0, output);
    }
}
