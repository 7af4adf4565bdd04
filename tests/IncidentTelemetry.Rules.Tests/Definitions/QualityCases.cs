using System.Globalization;
using IncidentTelemetry.Rules.Tests.Infrastructure;
using static IncidentTelemetry.Rules.Tests.Definitions.AlertCases;

namespace IncidentTelemetry.Rules.Tests.Definitions;

/// <summary>
/// The causes issue 20 measured on two weeks of healthy telemetry, each both ways on inputs sampled every 30 s:
/// the healthy shape stays quiet, the incident it resembles still fires (with every label and annotation).
/// Shapes are functions of the minute; traffic is a counter whose rate follows them.
/// </summary>
internal static class QualityCases
{
    /// <summary>The scrape and evaluation interval of every case.</summary>
    public static readonly TimeSpan Scrape = TimeSpan.FromSeconds(30);

    private const string Order = "job=\"order-service\", instance=\"order:8080\"";
    private const string OrderPod = "job=\"order-service\", instance=\"order-7f9c:8080\"";
    private const double MiB = 1024 * 1024;

    public static readonly IReadOnlyDictionary<string, Func<(RulesConfiguration Configuration, IEnumerable<RuleTest> Tests)>> ByBehaviour =
        new Dictionary<string, Func<(RulesConfiguration, IEnumerable<RuleTest>)>>(StringComparer.Ordinal)
        {
            ["MemoryGrowthTrend: load-following memory"] = () => (SampleShop.Configuration, MemoryFollowingLoad()),
            ["MemoryGrowthTrend: warm-up of a fresh pod"] = () => (SampleShop.Configuration, MemoryWarmUp()),
            ["Anomaly alerts: the first days after an install"] = () => (SampleShop.Configuration, FirstDays()),
            ["Anomaly alerts: the install day's first morning"] = () => (SampleShop.Configuration, InstallMorning()),
            ["MemoryGrowthTrend: a slow gen2 sawtooth"] = () => (SampleShop.Configuration, SlowSawtooth()),
            ["Latency alerts: a route slow by design"] = () => (SampleShop.Configuration, SlowRoute()),
            ["Latency alerts: a route slow by design that no configuration names"] = () => (SampleShop.Configuration, LearnedSlowRoute()),
            ["Pool exhaustion predicted on a 20-minute ramp"] = () => (SampleShop.Configuration, PoolExhaustionPredicted()),
            ["Latency climbing toward the review's 2 s"] = () => (SampleShop.Configuration, LatencyRising()),
        };

    /// <summary>
    /// The morning: traffic ramps 5x from 06:00 to 09:00 (a smoothstep from 10/s to 50/s) and the working set
    /// follows it, 150 MB in its steepest 20 minutes, with a GC sawtooth; the pod has run all night. The same
    /// memory on flat traffic is growth nothing explains, and fires; the w50-2 leak overnight, while traffic
    /// falls, fires within the hour.
    /// </summary>
    private static IEnumerable<RuleTest> MemoryFollowingLoad()
    {
        const string alert = "MemoryGrowthTrend";
        const int samples = 7 * 120; // 04:00 to 11:00
        double Traffic(double minute) => 10 + (40 * SmoothStep((minute - 120) / 180));
        double Memory(double minute, double traffic) => (600e6 + (22.5e6 * (traffic - 10)) + Sawtooth(minute, 4, 20e6) + Noise(minute, 5e6));
        var limit = Gauge(2048 * MiB, samples);
        var uptime = Uptime(10 * 3600, samples);
        yield return new("MemoryGrowthTrend silent: the working set follows the morning traffic ramp (5x from 06:00 to 09:00)", Scrape,
            [
                Rate(Order, "/orders", samples, Traffic),
                ($"dotnet_process_memory_working_set_bytes{{{Order}}}", Shape(samples, m => Memory(m, Traffic(m)))),
                ($"incident_process_memory_limit_bytes{{{Order}, incident_memory_limit_source=\"cgroup\"}}", limit),
                ($"process_uptime_seconds{{{Order}}}", uptime),
            ],
            [.. Every(10, 60, 420).Select(m => new AlertCheck(m, alert, []))]);

        yield return new("MemoryGrowthTrend fires: the same growth while traffic stays flat", Scrape,
            [
                Rate(Order, "/orders", samples, _ => 10),
                ($"dotnet_process_memory_working_set_bytes{{{Order}}}", Shape(samples, m => Memory(m, Traffic(m)))),
                ($"incident_process_memory_limit_bytes{{{Order}, incident_memory_limit_source=\"cgroup\"}}", limit),
                ($"process_uptime_seconds{{{Order}}}", uptime),
            ],
            [
                new(Min(140), alert, []),
                new(Min(210), alert, [Growth(Order, "2h 29m 45s")]),
            ]);

        // 22:00 to 05:00: traffic falls from 30/s to 6/s; the leak starts at 23:00 and adds 100 MB an hour.
        yield return new("MemoryGrowthTrend fires: 100MB an hour overnight while traffic falls", Scrape,
            [
                Rate(Order, "/orders", samples, m => 30 - (24 * Math.Min(m, 300) / 300)),
                ($"dotnet_process_memory_working_set_bytes{{{Order}}}", Shape(samples, m => 900e6 + (Math.Max(0, m - 60) * 100e6 / 60) + Sawtooth(m, 4, 20e6) + Noise(m, 5e6))),
                ($"incident_process_memory_limit_bytes{{{Order}, incident_memory_limit_source=\"cgroup\"}}", limit),
                ($"process_uptime_seconds{{{Order}}}", uptime),
            ],
            [
                new(Min(60), alert, []),
                new(Min(120), alert, [Growth(Order, "10h 26m 26s")]),
                new(Min(400), alert, [Growth(Order, "6h 21m 15s")]),
            ]);
    }

    /// <summary>
    /// A rolling deploy: a fresh pod at steady traffic fills its caches and pools, 200 MB to 800 MB of a 1 GiB
    /// limit with a 25-minute time constant (still 240 MB an hour at 45 minutes), then saws with the GC. The same
    /// pod with a 100 MB/h leak on top fires once the fill has slowed.
    /// </summary>
    private static IEnumerable<RuleTest> MemoryWarmUp()
    {
        const string alert = "MemoryGrowthTrend";
        const int samples = 4 * 120;
        double Fill(double minute) => 200e6 + (600e6 * (1 - Math.Exp(-minute / 25))) + Sawtooth(minute, 4, 15e6) + Noise(minute, 3e6);
        yield return new("MemoryGrowthTrend silent: a fresh pod fills with load for an hour (25-minute time constant)", Scrape,
            [
                Rate(OrderPod, "/orders", samples, _ => 20),
                ($"dotnet_process_memory_working_set_bytes{{{OrderPod}}}", Shape(samples, Fill)),
                ($"incident_process_memory_limit_bytes{{{OrderPod}, incident_memory_limit_source=\"cgroup\"}}", Gauge(1024 * MiB, samples)),
                ($"process_uptime_seconds{{{OrderPod}}}", Uptime(0, samples)),
            ],
            [.. Every(5, 30, 240).Select(m => new AlertCheck(m, alert, []))]);

        yield return new("MemoryGrowthTrend fires: the fresh pod also leaks 100MB an hour", Scrape,
            [
                Rate(OrderPod, "/orders", samples, _ => 20),
                ($"dotnet_process_memory_working_set_bytes{{{OrderPod}}}", Shape(samples, m => Fill(m) - 300e6 + (m * 100e6 / 60))),
                ($"incident_process_memory_limit_bytes{{{OrderPod}, incident_memory_limit_source=\"cgroup\"}}", Gauge(1024 * MiB, samples)),
                ($"process_uptime_seconds{{{OrderPod}}}", Uptime(0, samples)),
            ],
            [
                new(Min(60), alert, []),
                new(Min(180), alert, [Growth(OrderPod, "2h 33m 46s")]),
            ]);
    }

    /// <summary>
    /// Installed at 04:00 on a weekday, watched until 12:00 the next day: traffic and logins ramp 5x from the 06:00
    /// low to the 09:00 peak (a smoothstep), hold with a slow wobble and fall back from 17:00 to 23:00, with noise in
    /// every 30-second step. Without a week of history the spike and anomaly alerts stay quiet from the end of the
    /// first ramp through the evening, the night and the next morning's ramp (the same hour yesterday knows it); a
    /// campaign on the second morning (gateway and payment traffic tripled, logins five times) fires all three. The
    /// first ramp after an install has only the last 80 minutes to compare with and is not checked here (docs/alerts.md).
    /// </summary>
    private static IEnumerable<RuleTest> FirstDays()
    {
        const int samples = 32 * 120;
        const string payment = "job=\"payment-service\", instance=\"payment:8080\"";
        const string gateway = "job=\"api-gateway\", instance=\"gateway:8080\"";
        const string user = "job=\"user-service\", instance=\"user:8080\"";
        string[] alerts = ["TrafficSpike", "RequestRateAnomaly", "LoginRateSpike"];
        const int start = 30 * 60; // 10:00 on the second day
        double Campaign(double minute, double factor) => minute is >= start and < start + 45 ? factor : 1;
        IEnumerable<(string, string)> Input(bool campaign) =>
        [
            Rate(payment, "/checkout", samples, m => 5 * Weekday(m + 240) * (campaign ? Campaign(m, 3) : 1) * (1 + Noise(m, 0.05))),
            Rate(gateway, "/catalog/items/{id:int}", samples, m => 8 * Weekday(m + 240) * (campaign ? Campaign(m, 3) : 1) * (1 + Noise(m + 3, 0.05))),
            ($"incident_login_attempts_total{{{user}, incident_login_result=\"success\", otel_scope_name=\"IncidentTelemetry.Authentication\"}}",
                CounterOf(samples, m => Weekday(m + 240) * (campaign ? Campaign(m, 5) : 1) * (1 + Noise(m + 7, 0.05)))),
        ];

        yield return new("first days: the daily ramp stays quiet without a week of history", Scrape, [.. Input(campaign: false)],
            [.. Every(10, 330, (32 * 60) - 10).SelectMany(m => alerts.Select(a => new AlertCheck(m, a, [])))]);
        yield return new("first days: a campaign on the second morning fires all three", Scrape, [.. Input(campaign: true)],
            [
                .. alerts.Select(a => new AlertCheck(Min(start), a, [])),
                new(Min(start + 15), "TrafficSpike", [Fired("TrafficSpike", "warning", "payment-service", "job=\"payment-service\"", "payment-service: traffic above 2x its normal volume",
                    "payment-service serves 2.868 times its normal request rate over 5m (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last 1h20m; threshold 2x). Check that its connection pool and dependencies can take it.")]),
                new(Min(start + 15), "RequestRateAnomaly", [Fired("RequestRateAnomaly", "warning", "api-gateway", "job=\"api-gateway\"", "api-gateway: request rate far from normal",
                    "The request rate of api-gateway is 9.265 standard deviations from its normal (the same hour last week; in the first week, the nearer of the same hour yesterday and the median of the last 1h20m; threshold ±3). A surge (campaign, retry storm) or a drop (clients cannot reach it).")]),
                new(Min(start + 15), "LoginRateSpike", [Fired("LoginRateSpike", "warning", "user-service", "job=\"user-service\"", "user-service: login attempts above 3x normal",
                    "Login attempts on user-service run at 4.687 times their normal rate over 1m (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last 1h20m; threshold 3x). Sessions were lost (Redis eviction or failover) or someone is guessing passwords.")]),
            ]);
    }

    /// <summary>
    /// Installed at midnight on a weekday: no same hour yesterday, only the recent median, which lags the 06:00 to
    /// 09:00 ramp (5x, a smoothstep) by about 50 minutes. The first-day normal also takes the rate 15 minutes ago while
    /// the rate has not jumped, so the ramp stays quiet; a campaign that triples traffic at once at 10:00 still fires.
    /// </summary>
    private static IEnumerable<RuleTest> InstallMorning()
    {
        const int samples = 12 * 120;
        const string payment = "job=\"payment-service\", instance=\"payment:8080\"";
        const string gateway = "job=\"api-gateway\", instance=\"gateway:8080\"";
        const string user = "job=\"user-service\", instance=\"user:8080\"";
        string[] alerts = ["TrafficSpike", "RequestRateAnomaly", "LoginRateSpike"];
        const int start = 600; // 10:00
        double Campaign(double minute, double factor) => minute is >= start and < start + 45 ? factor : 1;
        IEnumerable<(string, string)> Input(bool campaign) =>
        [
            Rate(payment, "/checkout", samples, m => 5 * Weekday(m) * (campaign ? Campaign(m, 3) : 1) * (1 + Noise(m, 0.05))),
            Rate(gateway, "/catalog/items/{id:int}", samples, m => 8 * Weekday(m) * (campaign ? Campaign(m, 3) : 1) * (1 + Noise(m + 3, 0.05))),
            ($"incident_login_attempts_total{{{user}, incident_login_result=\"success\", otel_scope_name=\"IncidentTelemetry.Authentication\"}}",
                CounterOf(samples, m => Weekday(m) * (campaign ? Campaign(m, 5) : 1) * (1 + Noise(m + 7, 0.05)))),
        ];

        yield return new("install morning: the first ramp after a midnight install stays quiet", Scrape, [.. Input(campaign: false)],
            [.. Every(5, 60, 715).SelectMany(m => alerts.Select(a => new AlertCheck(m, a, [])))]);
        yield return new("install morning: a campaign that triples traffic at 10:00 fires", Scrape, [.. Input(campaign: true)],
            [
                new(Min(start), "TrafficSpike", []),
                new(Min(start + 15), "TrafficSpike", [Fired("TrafficSpike", "warning", "payment-service", "job=\"payment-service\"", "payment-service: traffic above 2x its normal volume",
                    "payment-service serves 2.855 times its normal request rate over 5m (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last 1h20m; threshold 2x). Check that its connection pool and dependencies can take it.")]),
            ]);
    }

    /// <summary>
    /// A pod that has run for hours at steady traffic, its gen2 collections 50 minutes apart giving back the 70 MB the
    /// heap grew in between: each rise is steeper than a leak (84 MB an hour towards a 1 GiB limit) for longer than the
    /// 20-minute window and the 10-minute <c>for</c>, but the two-hour trend of the working set is flat, and it stays
    /// quiet. A pod with a short GC cycle leaking 100 MB an hour fires within the hour of the leak (with this long
    /// sawtooth on top, a 20-minute window holds the leak's trend only part of each cycle: docs/alerts.md, "After").
    /// </summary>
    private static IEnumerable<RuleTest> SlowSawtooth()
    {
        const string alert = "MemoryGrowthTrend";
        const int samples = 5 * 120;
        double Memory(double minute) => 600e6 + Sawtooth(minute + 10, 50, 70e6) + Noise(minute, 3e6);
        IEnumerable<(string, string)> Input(Func<double, double> memory) =>
        [
            Rate(OrderPod, "/orders", samples, _ => 20),
            ($"dotnet_process_memory_working_set_bytes{{{OrderPod}}}", Shape(samples, memory)),
            ($"incident_process_memory_limit_bytes{{{OrderPod}, incident_memory_limit_source=\"cgroup\"}}", Gauge(1024 * MiB, samples)),
            ($"process_uptime_seconds{{{OrderPod}}}", Uptime(6 * 3600, samples)),
        ];

        // Checked once the recorded working set has two hours of history, as a pod up for six hours has.
        yield return new("MemoryGrowthTrend silent: a gen2 sawtooth 50 minutes long, 70 MB high", Scrape, [.. Input(Memory)],
            [.. Every(5, 125, 300).Select(m => new AlertCheck(m, alert, []))]);
        yield return new("MemoryGrowthTrend fires: a pod with a short GC cycle leaking 100MB an hour after two hours", Scrape,
            [.. Input(m => 600e6 + Sawtooth(m, 4, 20e6) + Noise(m, 3e6) + (Math.Max(0, m - 150) * 100e6 / 60))],
            [
                new(Min(150), alert, []),
                new(Min(210), alert, [Growth(OrderPod, "3h 52m 49s")]),
            ]);
    }

    /// <summary>
    /// api-gateway's /api/checkout waits for the payment provider: its P95 is about 1.5 s all day (issue 20). The
    /// sample configuration marks it <c>slow</c> (2.5 s): it stays quiet, and it no longer drags the service's
    /// P95 above 500 ms either; above 2.5 s it fires with its own threshold, while the catalog route keeps 500 ms.
    /// </summary>
    private static IEnumerable<RuleTest> SlowRoute()
    {
        const int samples = 120;
        const string gateway = "job=\"api-gateway\", instance=\"gateway:8080\"";
        const string scope = "http_request_method=\"POST\", otel_scope_name=\"Microsoft.AspNetCore.Hosting\"";
        const string checkout = gateway + ", http_route=\"/api/checkout\", " + scope;
        const string items = gateway + ", http_route=\"/catalog/items/{id:int}\", " + scope;
        const string name = "http_server_request_duration_seconds";
        string[] alerts = ["EndpointLatencyP95High", "ServiceLatencyP95High"];
        ExpectedAlert Route(string route, string threshold, string value) => Fired("EndpointLatencyP95High", "warning", "api-gateway", $"job=\"api-gateway\", http_route=\"{route}\"",
            $"api-gateway: {route} P95 latency above {threshold}", $"95 % of the requests to {route} on api-gateway took up to {value} over 1m (threshold {threshold}).");

        yield return new("slow route: /api/checkout at 1 to 1.5s all the time stays quiet, and out of the service's P95", Scrape,
            [.. Series.Histogram(name, checkout, 1, perSecond: 10, samples, Scrape), .. Series.Histogram(name, items, 0.025, perSecond: 10, samples, Scrape)],
            [.. Every(5, 5, 60).SelectMany(m => alerts.Select(a => new AlertCheck(m, a, [])))]);
        yield return new("slow route: /api/checkout above its 2.5s fires with its own threshold", Scrape,
            [.. Series.Histogram(name, checkout, 2.5, perSecond: 10, samples, Scrape), .. Series.Histogram(name, items, 0.025, perSecond: 10, samples, Scrape)],
            [new(Min(4), alerts[0], []), new(Min(10), alerts[0], [Route("/api/checkout", "2.5s", "4.875s")])]);
        yield return new("slow route: the catalog route keeps 500ms", Scrape,
            [.. Series.Histogram(name, checkout, 1, perSecond: 10, samples, Scrape), .. Series.Histogram(name, items, 0.5, perSecond: 10, samples, Scrape)],
            [new(Min(4), alerts[0], []), new(Min(10), alerts[0], [Route("/catalog/items/{id:int}", "500ms", "737.5ms")])]);
    }

    /// <summary>
    /// A route slow by design that the configuration does not list (issue 20: the bundled file knows no routes): the
    /// gateway's <c>/api/quote</c> waits for a carrier and runs at 1.5 to 2 s (P95 1.975 s) from the first minute.
    /// Its own normal (the 25th percentile of its P95 over the day) is at least twice the 500 ms threshold, so it is
    /// judged against twice its normal and left out of the service's P95; a route between 500 ms and 1 s is judged by
    /// 500 ms as written. Breaches are held past the five-minute <c>for</c> both ways.
    /// </summary>
    private static IEnumerable<RuleTest> LearnedSlowRoute()
    {
        const string gateway = "job=\"api-gateway\", instance=\"gateway:8080\"";
        const string scope = "http_request_method=\"GET\", otel_scope_name=\"Microsoft.AspNetCore.Hosting\"";
        const string quote = gateway + ", http_route=\"/api/quote\", " + scope;
        const string items = gateway + ", http_route=\"/catalog/items/{id:int}\", " + scope;
        const string endpoint = "EndpointLatencyP95High";
        const string service = "ServiceLatencyP95High";
        ExpectedAlert Route(string route, string value) => Fired(endpoint, "warning", "api-gateway", $"job=\"api-gateway\", http_route=\"{route}\"",
            $"api-gateway: {route} P95 latency above 500ms", $"95 % of the requests to {route} on api-gateway took up to {value} over 1m (threshold 500ms).");

        yield return new("learned slow route: /api/quote at 1.5 to 2s from its first minute stays quiet, and out of the service's P95", Scrape,
            [.. Phases(quote, (1.5, 300)), .. Phases(items, (0.025, 300))],
            [.. Every(1, 1, 149).SelectMany(m => new[] { new AlertCheck(m, endpoint, []), new AlertCheck(m, service, []) })]);
        yield return new("learned slow route: /api/quote rising to 5 to 7.5s (above twice its normal) fires", Scrape,
            [.. Phases(quote, (1.5, 240), (5, 60)), .. Phases(items, (0.025, 300))],
            [
                new(Min(124), endpoint, []),
                new(Min(130), endpoint, [Route("/api/quote", "7.375s")]),
                new(Min(130), service, []),
            ]);
        yield return new("learned slow route: /api/quote rising to 2 to 2.5s (below twice its normal) stays quiet", Scrape,
            [.. Phases(quote, (1.5, 240), (2, 60)), .. Phases(items, (0.025, 300))],
            [.. Every(5, 120, 149).SelectMany(m => new[] { new AlertCheck(m, endpoint, []), new AlertCheck(m, service, []) })]);
        yield return new("learned slow route: a route at 0.75 to 1s (under twice 500ms) keeps the 500ms threshold", Scrape,
            [.. Phases(quote, (0.75, 120)), .. Phases(items, (0.025, 120))],
            [new(Min(4), endpoint, []), new(Min(10), endpoint, [Route("/api/quote", "987.5ms")]), new(Min(55), endpoint, [Route("/api/quote", "987.5ms")])]);
        yield return new("learned slow route: the service's P95 without it fires when the other routes slow down", Scrape,
            [.. Phases(quote, (1.5, 300)), .. Phases(items, (0.025, 240), (0.5, 60))],
            [
                new(Min(119), service, []),
                new(Min(124), service, []),
                new(Min(130), service, [Fired(service, "warning", "api-gateway", "job=\"api-gateway\"", "api-gateway: P95 latency above 500ms",
                    "95 % of the requests to api-gateway took up to 737.5ms over 1m (threshold 500ms).")]),
            ]);
    }

    /// <summary>
    /// A latency histogram at 10 requests/s whose observations fall, phase after phase, in the bucket above each
    /// phase's lower bound.
    /// </summary>
    private static IEnumerable<(string Series, string Values)> Phases(string labels, params (double LowerBound, int Samples)[] phases)
    {
        const string name = "http_server_request_duration_seconds";
        foreach (var le in Series.Buckets.Select(b => b.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append("+Inf"))
        {
            var bound = le == "+Inf" ? double.PositiveInfinity : double.Parse(le, System.Globalization.CultureInfo.InvariantCulture);
            yield return ($"{name}_bucket{{{labels}, le=\"{le}\"}}", Series.Counter(Scrape, [.. phases.Select(p => (bound > p.LowerBound ? 10.0 : 0, p.Samples))]));
        }

        yield return ($"{name}_count{{{labels}}}", Series.Counter(Scrape, [.. phases.Select(p => (10.0, p.Samples))]));
        yield return ($"{name}_sum{{{labels}}}", Series.Counter(Scrape, [.. phases.Select(p => (0.0, p.Samples))]));
    }

    /// <summary>
    /// ConnectionPoolExhaustionPredicted, at the simulation's w50-1 shape: payment traffic ramps to 3x over 20 minutes
    /// (20 to 60 requests a second from minute 60) and the pool's used connections follow it (0.9 s held per request:
    /// 18 of 50, then up to all 50), with noise at every 30-second scrape; the pool is full from minute 78. The prediction
    /// fires by minute 68, ten minutes before (the utilisation alerts came 6.5 to 8.5 minutes before the first timeout).
    /// The nightly batch (40 of 50 connections taken at once for 20 minutes, traffic flat), a busy but steady pool and a
    /// pool following the morning ramp (5x over three hours, to 70 % at the peak) stay quiet.
    /// </summary>
    public static IEnumerable<RuleTest> PoolExhaustionPredicted()
    {
        const string alert = "ConnectionPoolExhaustionPredicted";
        const int samples = 180; // 90 minutes
        const string target = "job=\"payment-service\", instance=\"payment:8080\"";
        const string pool = target + ", db_client_connection_pool_name=\"payments\"";
        IEnumerable<(string, string)> Pool(int count, Func<double, double> perSecond, Func<double, double> used) =>
        [
            Rate(target, "/payments", count, perSecond),
            ($"db_client_connection_count{{{pool}, db_client_connection_state=\"used\", otel_scope_name=\"Npgsql\"}}", Shape(count, m => Math.Clamp(Math.Round(used(m) + Noise(m, 2.5)), 0, 50))),
            ($"db_client_connection_max{{{pool}, otel_scope_name=\"Npgsql\"}}", Gauge(50, count)),
        ];
        double Ramp(double minute) => 20 * (1 + (2 * Math.Clamp((minute - 60) / 20, 0, 1)));

        yield return new("ConnectionPoolExhaustionPredicted fires 10 minutes before a 20-minute ramp exhausts the pool", Scrape,
            [.. Pool(samples, Ramp, m => 0.9 * Ramp(m))],
            [
                .. Every(1, 55, 64).Select(m => new AlertCheck(m, alert, [])),
                new(Min(68), alert, [Fired(alert, "warning", "payment-service", pool, "payment-service: connection pool payments on course to be exhausted within 20 minutes",
                    "If the traffic of payment-service keeps climbing as it did over the last 5m, pool payments on payment:8080 will need 135% of its connections in 20m (its use over 5m scaled by the request rate's trend). Scale out or shed load before requests queue and time out.")]),
            ]);
        yield return new("ConnectionPoolExhaustionPredicted silent: the nightly batch takes 40 of 50 connections at once for 20 minutes", Scrape,
            [.. Pool(samples, _ => 5, m => m is >= 30 and < 50 ? 40 : 2)],
            [.. Every(1, 25, 60).Select(m => new AlertCheck(m, alert, []))]);
        yield return new("ConnectionPoolExhaustionPredicted silent: a busy pool, 30 of 50 with noise, for an hour", Scrape,
            [.. Pool(samples, _ => 33, _ => 30)],
            [.. Every(5, 15, 90).Select(m => new AlertCheck(m, alert, []))]);

        // 06:00 to 10:00: traffic ramps 5x from 06:00 to 09:00 and the pool follows it to 35 of 50 at the peak.
        const int morning = 4 * 120;
        double Morning(double minute) => 10 + (40 * SmoothStep(minute / 180));
        yield return new("ConnectionPoolExhaustionPredicted silent: the pool follows the morning ramp to 70% (5x over three hours)", Scrape,
            [.. Pool(morning, Morning, m => 0.7 * Morning(m))],
            [.. Every(10, 20, 240).Select(m => new AlertCheck(m, alert, []))]);
    }

    /// <summary>
    /// ServiceLatencyP95Rising, at the simulation's w50-3 shape: the gateway's median latency climbs 45x in 12 minutes
    /// from minute 20 (70 ms to about 3 s, log-normal spread), so its P95 passes 500 ms at about minute 24 and 2 s at
    /// about minute 28. The alert fires before 2 s (ServiceLatencyP95High, five minutes above 500 ms, cannot). A
    /// slow-down that steps up 3.5x at once for four minutes, a P95 that drifts from 300 to 600 ms over half an hour,
    /// and the same climb under the traffic floor stay quiet.
    /// </summary>
    public static IEnumerable<RuleTest> LatencyRising()
    {
        const string alert = "ServiceLatencyP95Rising";
        const int samples = 120; // an hour
        const string gateway = "job=\"api-gateway\", instance=\"gateway:8080\"";
        const string items = gateway + ", http_route=\"/catalog/items/{id:int}\", http_request_method=\"GET\", otel_scope_name=\"Microsoft.AspNetCore.Hosting\"";
        double Climb(double minute) => 0.07 * Math.Pow(45, Math.Clamp((minute - 20) / 12, 0, 1));
        ExpectedAlert Rising(string value) => Fired(alert, "warning", "api-gateway", "job=\"api-gateway\"", "api-gateway: P95 latency climbing fast toward 500ms",
            $"95 % of the requests to api-gateway took up to {value} over 1m, at least 1.5 times as long as 2m30s before, twice in a row (threshold 500ms). At that pace it passes the threshold within minutes; find what is saturating before every user waits.");

        yield return new("ServiceLatencyP95Rising fires before the gateway's P95 reaches 2s on the campaign's climb", Scrape,
            [.. LogNormalLatency(items, samples, 50, Climb)],
            [
                .. Every(1, 10, 22).Select(m => new AlertCheck(m, alert, [])),
                new(Min(27), alert, [Rising("1.362s")]),
            ]);
        yield return new("ServiceLatencyP95Rising silent: a slow-down steps up 3.5x at once for four minutes", Scrape,
            [.. LogNormalLatency(items, samples, 50, m => m is >= 20 and < 24 ? 0.7 : 0.2)],
            [.. Every(1, 10, 40).Select(m => new AlertCheck(m, alert, []))]);
        yield return new("ServiceLatencyP95Rising silent: the P95 drifts from 300 to 600ms over half an hour", Scrape,
            [.. LogNormalLatency(items, samples, 50, m => 0.15 * Math.Pow(2, Math.Clamp((m - 10) / 30, 0, 1)))],
            [.. Every(2, 10, 60).Select(m => new AlertCheck(m, alert, []))]);
        yield return new("ServiceLatencyP95Rising silent: the same climb at 0.05 requests/s (traffic floor 0.1/s)", Scrape,
            [.. LogNormalLatency(items, samples, 0.05, Climb)],
            [.. Every(1, 20, 40).Select(m => new AlertCheck(m, alert, []))]);
    }

    /// <summary>
    /// A request-duration histogram whose requests at each minute are log-normal around
    /// <paramref name="median"/> (σ 0.5 in log space, so that the P95 is about 2.3 times the median), as the library's
    /// buckets count them.
    /// </summary>
    private static IEnumerable<(string Series, string Values)> LogNormalLatency(string labels, int samples, double perSecond, Func<double, double> median)
    {
        const string name = "http_server_request_duration_seconds";
        foreach (var le in Series.Buckets)
        {
            yield return ($"{name}_bucket{{{labels}, le=\"{le.ToString(CultureInfo.InvariantCulture)}\"}}",
                CounterOf(samples, m => perSecond * NormalCdf(Math.Log(le / median(m)) / 0.5)));
        }

        yield return ($"{name}_bucket{{{labels}, le=\"+Inf\"}}", CounterOf(samples, _ => perSecond));
        yield return ($"{name}_count{{{labels}}}", CounterOf(samples, _ => perSecond));
        yield return ($"{name}_sum{{{labels}}}", CounterOf(samples, m => perSecond * median(m) * 1.13));
    }

    /// <summary>
    /// The standard normal distribution function, by Abramowitz and Stegun's formula 7.1.26 for erf (error below
    /// 1.5e-7): .NET has no erf, and a test input needs no more.
    /// </summary>
    private static double NormalCdf(double z)
    {
        var x = Math.Abs(z) / Math.Sqrt(2);
        var t = 1 / (1 + (0.3275911 * x));
        var poly = ((((((((1.061405429 * t) - 1.453152027) * t) + 1.421413741) * t) - 0.284496736) * t) + 0.254829592) * t;
        var erf = 1 - (poly * Math.Exp(-x * x));
        return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
    }

    /// <summary>A weekday's traffic relative to the night: 1 until 06:00, 5x from 09:00 to 17:00, back to 1 by 23:00.</summary>
    public static double Weekday(double minute)
    {
        var m = minute % (24 * 60);
        return m < 360 ? 1
            : m < 540 ? 1 + (4 * SmoothStep((m - 360) / 180))
            : m < 1020 ? 5 * (1 + (0.05 * Math.Sin(m / 37)))
            : 5 - (4 * SmoothStep((m - 1020) / 360));
    }

    private static ExpectedAlert Growth(string target, string timeToLimit)
        => Fired("MemoryGrowthTrend", "warning", "order-service", target, "order-service: memory grows fast enough to reach its limit within 24h",
            $"The working set of {target.Split('"')[3]} has grown for 20m at a rate that reaches its memory limit in {timeToLimit} (threshold 24h). A leak ends in an out-of-memory kill.");

    /// <summary>0 before 0, 1 after 1, an S-curve between (steepest in the middle, 1.5 times the mean slope).</summary>
    public static double SmoothStep(double x) => x <= 0 ? 0 : x >= 1 ? 1 : x * x * (3 - (2 * x));

    /// <summary>A GC sawtooth: rises by <paramref name="height"/> over each period, then drops back.</summary>
    public static double Sawtooth(double minute, double period, double height) => minute % period / period * height;

    /// <summary>Deterministic noise within ±<paramref name="amplitude"/>.</summary>
    public static double Noise(double minute, double amplitude) => amplitude * Math.Sin(minute * 7.31) * Math.Cos(minute * 2.17);

    /// <summary>A gauge sampled every 30 s: the value at each sample's minute.</summary>
    public static string Shape(int samples, Func<double, double> valueAtMinute)
        => Series.Values(Enumerable.Range(0, samples + 1).Select(i => (double?)Math.Round(valueAtMinute(i * Scrape.TotalMinutes))));

    public static string Gauge(double value, int samples) => Shape(samples, _ => value);

    public static string Uptime(double startSeconds, int samples) => Shape(samples, m => startSeconds + (m * 60));

    /// <summary>A request counter (Hosting's series) whose rate per second at each minute follows <paramref name="perSecond"/>.</summary>
    public static (string Series, string Values) Rate(string target, string route, int samples, Func<double, double> perSecond)
        => ($"http_server_request_duration_seconds_count{{{target}, http_route=\"{route}\", http_request_method=\"GET\", otel_scope_name=\"Microsoft.AspNetCore.Hosting\"}}", CounterOf(samples, perSecond));

    public static string CounterOf(int samples, Func<double, double> perSecond)
    {
        var values = new List<double?> { 0 };
        double total = 0;
        for (var i = 1; i <= samples; i++)
        {
            total += perSecond((i - 0.5) * Scrape.TotalMinutes) * Scrape.TotalSeconds;
            values.Add(Math.Round(total));
        }

        return Series.Values(values);
    }

    public static IEnumerable<TimeSpan> Every(int stepMinutes, int fromMinute, int toMinute)
        => Enumerable.Range(0, ((toMinute - fromMinute) / stepMinutes) + 1).Select(i => Min(fromMinute + (i * stepMinutes)));

    public static TimeSpan Min(double minutes) => TimeSpan.FromMinutes(minutes);
}
