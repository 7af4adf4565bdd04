using IncidentTelemetry.Rules.Tests.Infrastructure;
using static IncidentTelemetry.Rules.Tests.Definitions.AlertCases;

namespace IncidentTelemetry.Rules.Tests.Definitions;

/// <summary>
/// The "normal" the spike and anomaly alerts compare with: services start from zero traffic (a ramp), the
/// baseline window fills for an hour, and only then may TrafficSpike, RequestRateAnomaly and LoginRateSpike fire.
/// Same checks at the drills' time scale (30: an hour is two minutes, scraped and evaluated every second).
/// </summary>
public sealed class BaselineTests
{
    private const string Payment = "job=\"payment-service\", instance=\"payment:8080\"";
    private const string Gateway = "job=\"api-gateway\", instance=\"gateway:8080\"";
    private const string User = "job=\"user-service\", instance=\"user:8080\"";
    private const string Order = "job=\"order-service\", instance=\"order:8080\"";
    private static readonly string[] SpikeAlerts = ["TrafficSpike", "RequestRateAnomaly", "LoginRateSpike"];

    [Fact]
    public async Task PromtoolTestRules_ConstantTrafficFromStartup_SpikeAlertsSilentForTheFirstHours()
    {
        var minute = TimeSpan.FromMinutes(1);
        var test = new RuleTest("constant traffic from startup: TrafficSpike, RequestRateAnomaly, LoginRateSpike stay silent", minute,
            [
                Requests(Payment, "/checkout", minute, Ramp(25, 10, 170)),
                Requests(Gateway, "/catalog/items/{id:int}", minute, Ramp(20, 10, 170)),
                Logins(minute, Ramp(5, 10, 170)),
            ],
            [.. Enumerable.Range(1, 36).SelectMany(i => SpikeAlerts.Select(a => new AlertCheck(TimeSpan.FromMinutes(5 * i), a, [])))]);

        await AssertPassesAsync(SampleShop.Configuration, minute, test);
    }

    [Fact]
    public async Task PromtoolTestRules_TrafficTriplesAfterAnHourFromStartup_SpikeAlertsFire()
    {
        var minute = TimeSpan.FromMinutes(1);
        var test = new RuleTest("traffic triples (logins quadruple) an hour after startup: the spike alerts fire", minute,
            [
                Requests(Payment, "/checkout", minute, [.. Ramp(25, 10, 50), (75, 30)]),
                Requests(Gateway, "/catalog/items/{id:int}", minute, [.. Ramp(20, 10, 50), (60, 30)]),
                Logins(minute, [.. Ramp(5, 10, 50), (20, 30)]),
            ],
            [
                .. SpikeAlerts.Select(a => new AlertCheck(TimeSpan.FromMinutes(60), a, [])),
                new(TimeSpan.FromMinutes(70), "TrafficSpike", [Fired("TrafficSpike", "warning", "payment-service", "job=\"payment-service\"", "payment-service: traffic above 2x its normal volume",
                    "payment-service serves 3 times its normal request rate over 5m (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last 1h20m; threshold 2x). Check that its connection pool and dependencies can take it.")]),
                new(TimeSpan.FromMinutes(70), "RequestRateAnomaly", [Fired("RequestRateAnomaly", "warning", "api-gateway", "job=\"api-gateway\"", "api-gateway: request rate far from normal",
                    "The request rate of api-gateway is 10 standard deviations from its normal (the same hour last week; in the first week, the nearer of the same hour yesterday and the median of the last 1h20m; threshold ±3). A surge (campaign, retry storm) or a drop (clients cannot reach it).")]),
                new(TimeSpan.FromMinutes(70), "LoginRateSpike", [Fired("LoginRateSpike", "warning", "user-service", "job=\"user-service\"", "user-service: login attempts above 3x normal",
                    "Login attempts on user-service run at 4 times their normal rate over 1m (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last 1h20m; threshold 3x). Sessions were lost (Redis eviction or failover) or someone is guessing passwords.")]),
            ]);

        await AssertPassesAsync(SampleShop.Configuration, minute, test);
    }

    [Fact]
    public async Task PromtoolTestRules_SameHourLastWeekWasAsBusy_TrafficSpikeSilent()
    {
        // A week and two hours at time scale 30 (a week is 5h36m), scraped every 10s with no window under 20s
        // (two samples): 12 samples an hour. "Now" is 1w2h: last week's matching hour is 1h-2h.
        var step = TimeSpan.FromSeconds(10);
        var config = SampleShop.Configuration.WithTimeScale(30).With(c => c.Set(minimumWindow: TimeSpan.FromSeconds(20)));
        const int hour = 12;
        var weekAndHour = (7 * 24 * 12) + hour;
        var now = TimeSpan.FromHours((7 * 24) + 2) / 30;
        var busyLastWeek = new RuleTest("the same hour last week was as busy: TrafficSpike silent", step,
            [Requests(Payment, "/checkout", step, (25, hour), (75, hour), (25, weekAndHour - (2 * hour) + 8), (75, 4))],
            [new(now, "TrafficSpike", [])]);
        var quietLastWeek = new RuleTest("the same hour last week was quiet: TrafficSpike fires", step,
            [Requests(Payment, "/checkout", step, (25, weekAndHour + 8), (75, 4))],
            [new(now, "TrafficSpike", [Fired("TrafficSpike", "warning", "payment-service", "job=\"payment-service\"", "payment-service: traffic above 2x its normal volume",
                "payment-service serves 3 times its normal request rate over 20s (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last 2m40s; threshold 2x). Check that its connection pool and dependencies can take it.")])]);

        await AssertPassesAsync(config, step, busyLastWeek, quietLastWeek);
    }

    [Fact]
    public async Task PromtoolTestRules_DrillShapeAtTimeScale30_SilentForTwoMinutesThenFire()
    {
        // The drills: scrape and evaluate every second, load from zero at startup, the incident after 2 minutes.
        var second = TimeSpan.FromSeconds(1);
        var scaled = SampleShop.Configuration.WithTimeScale(30);
        var test = new RuleTest("drill shape at scale 30: normal traffic for 120s, then the spikes", second,
            [
                Requests(Payment, "/checkout", second, (25, 120), (75, 60)),
                Requests(Gateway, "/catalog/items/{id:int}", second, (20, 120), (300, 60)),
                Logins(second, (5, 120), (50, 60)),
            ],
            [
                .. Enumerable.Range(1, 24).SelectMany(i => SpikeAlerts.Select(a => new AlertCheck(TimeSpan.FromSeconds(5 * i), a, []))),
                new(TimeSpan.FromSeconds(150), "TrafficSpike", [Fired("TrafficSpike", "warning", "payment-service", "job=\"payment-service\"", "payment-service: traffic above 2x its normal volume",
                    "payment-service serves 3 times its normal request rate over 10s (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last 2m40s; threshold 2x). Check that its connection pool and dependencies can take it.")]),
                new(TimeSpan.FromSeconds(150), "RequestRateAnomaly", [Fired("RequestRateAnomaly", "warning", "api-gateway", "job=\"api-gateway\"", "api-gateway: request rate far from normal",
                    "The request rate of api-gateway is 70 standard deviations from its normal (the same hour last week; in the first week, the nearer of the same hour yesterday and the median of the last 2m40s; threshold ±3). A surge (campaign, retry storm) or a drop (clients cannot reach it).")]),
                new(TimeSpan.FromSeconds(150), "LoginRateSpike", [Fired("LoginRateSpike", "warning", "user-service", "job=\"user-service\"", "user-service: login attempts above 3x normal",
                    "Login attempts on user-service run at 10 times their normal rate over 4s (normal: the same hour last week; in the first week, the higher of the same hour yesterday and the median of the last 2m40s; threshold 3x). Sessions were lost (Redis eviction or failover) or someone is guessing passwords.")]),
            ]);

        await AssertPassesAsync(scaled, second, test);
    }

    [Fact]
    public async Task PromtoolTestRules_MemoryLeakAtTimeScale30_GrowthSilentDuringStartupThenFires()
    {
        // w50-2 as the drill runs it: the working set climbs during startup (JIT, first requests) for 20s, stays
        // flat, then leaks 2 MiB/s from 30s towards a 384 MiB limit.
        var second = TimeSpan.FromSeconds(1);
        var scaled = SampleShop.Configuration.WithTimeScale(30);
        var workingSet = Enumerable.Range(0, 20).Select(i => 40e6 + (i * 5e6))
            .Concat(Enumerable.Repeat(140e6, 10))
            .Concat(Enumerable.Range(1, 90).Select(i => 140e6 + (i * 2 * 1024 * 1024.0)));
        var test = new RuleTest("w50-2 at scale 30: startup growth is no trend; the leak is", second,
            [
                ($"dotnet_process_memory_working_set_bytes{{{Order}}}", Series.Values(workingSet.Select(v => (double?)v))),
                ($"incident_process_memory_limit_bytes{{{Order}, incident_memory_limit_source=\"cgroup\"}}", Series.Gauge((384 * 1024 * 1024, 120))),
                ($"process_uptime_seconds{{{Order}}}", "0+1x120"),
            ],
            [
                .. Enumerable.Range(1, 89).Select(i => new AlertCheck(TimeSpan.FromSeconds(i), "MemoryGrowthTrend", [])),
                new(TimeSpan.FromSeconds(95), "MemoryGrowthTrend", [Fired("MemoryGrowthTrend", "warning", "order-service", Order, "order-service: memory grows fast enough to reach its limit within 24h",
                    "The working set of order:8080 has grown for 40s at a rate that reaches its memory limit in 59.24s (threshold 24h). A leak ends in an out-of-memory kill.")]),
            ]);

        await AssertPassesAsync(scaled, second, test);
    }

    private static (string, string) Logins(TimeSpan interval, params (double PerSecond, int Samples)[] segments)
        => ($"incident_login_attempts_total{{{User}, incident_login_result=\"success\", otel_scope_name=\"IncidentTelemetry.Authentication\"}}", Series.Counter(interval, segments));

    /// <summary>From nothing to <paramref name="rate"/> over <paramref name="rampSamples"/>, then constant for <paramref name="constantSamples"/>.</summary>
    private static (double, int)[] Ramp(double rate, int rampSamples, int constantSamples)
        => [.. Enumerable.Range(1, rampSamples).Select(i => (rate * i / rampSamples, 1)), (rate, constantSamples)];

    private static async Task AssertPassesAsync(RulesConfiguration configuration, TimeSpan evaluationInterval, params RuleTest[] tests)
    {
        using var dir = new TempDirectory("it-rules-baseline-");
        var (exit, output) = await RuleTestFile.RunAsync(dir.Path, configuration, evaluationInterval, tests);

        Assert.True(exit == 0, output);
    }
}
