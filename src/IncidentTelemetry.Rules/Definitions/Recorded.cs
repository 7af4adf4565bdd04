using IncidentTelemetry.Rules.Rendering;
using M = IncidentTelemetry.Catalogue.MetricCatalogue;
using L = IncidentTelemetry.Catalogue.Labels;

namespace IncidentTelemetry.Rules.Definitions;

/// <summary>
/// The recording rules (<c>level:metric:operations</c>) the alerts read. Names keep the unscaled window
/// (<c>rate5m</c>) when rendered at a time scale, so that a scaled file has the same series as the real one.
/// Rates are summed by the labels the alert keeps before <c>histogram_quantile</c>: several meters (and
/// instances) report series of the same name, told apart only by <c>otel_scope_name</c> and <c>instance</c>.
/// </summary>
internal static class Recorded
{
    // Five-minute rates: the baselines ("normal") and the z-score, which compare whole hours.
    public const string Requests = "job:http_server_requests:rate5m";
    public const string RequestsNormal = "job:http_server_requests:rate5m_normal";
    public const string RequestsNormalLow = "job:http_server_requests:rate5m_normal_low";
    public const string RequestsYesterday = "job:http_server_requests:rate5m_yesterday";
    public const string RequestsRecent = "job:http_server_requests:rate5m_recent";
    public const string RequestsDeviation = "job:http_server_requests:rate5m_deviation";
    public const string RequestsNormalStddev = "job:http_server_requests:rate5m_normal_stddev";
    public const string RequestsZScore = "job:http_server_requests:rate5m_zscore";
    public const string Logins = "job:login_attempts:rate5m";
    public const string LoginsNormal = "job:login_attempts:rate5m_normal";
    public const string LoginsYesterday = "job:login_attempts:rate5m_yesterday";
    public const string LoginsRecent = "job:login_attempts:rate5m_recent";

    // One-minute rates: every condition that a "for" holds. The window is short against the "for", so that the
    // "for" carries the duration the reviews state and the window adds at most a minute to it.
    public const string RequestsNow = "job:http_server_requests:rate1m";
    public const string RequestBuckets = "job_le:http_server_request_duration_seconds_bucket:rate1m";
    public const string RequestP95 = "job:http_server_request_duration_seconds:p95_rate1m";
    public const string RouteRequests = "job_http_route:http_server_requests:rate1m";
    public const string RouteBuckets = "job_http_route_le:http_server_request_duration_seconds_bucket:rate1m";
    public const string RouteP95 = "job_http_route:http_server_request_duration_seconds:p95_rate1m";
    public const string RouteP95Normal = "job_http_route:http_server_request_duration_seconds:p95_rate1m_q25_1d";
    public const string LoginsNow = "job:login_attempts:rate1m";
    public const string WarmWorkingSet = "job_instance:dotnet_process_memory_working_set_bytes:max_warm";
    public const string PoolUsage = "job_instance_pool:db_client_connection_usage:ratio_max1m";
    public const string PoolAcquisitions = "job_instance_pool:db_client_connection_acquisitions:rate1m";
    public const string PoolWaitMean = "job_instance_pool:db_client_connection_wait_time_seconds:mean_rate1m";
    public const string PoolWaitedShare = "job_instance_pool:db_client_connection_waits_over_10ms:ratio_rate1m";
    public const string Operations = "job:db_client_operations:rate1m";
    public const string OperationBuckets = "job_le:db_client_operation_duration_seconds_bucket:rate1m";
    public const string OperationP95 = "job:db_client_operation_duration_seconds:p95_rate1m";
    public const string PeerRequests = "job_peer_service:http_client_requests:rate1m";
    public const string PeerBuckets = "job_peer_service_le:http_client_request_duration_seconds_bucket:rate1m";
    public const string PeerP95 = "job_peer_service:http_client_request_duration_seconds:p95_rate1m";

    /// <summary>
    /// The 10 ms bucket in every spelling of 0.01 (<c>0.01</c>, <c>0.010</c>, …): Prometheus 3 rewrites <c>le</c> values
    /// to one canonical float form (<c>1</c> becomes <c>1.0</c>; <c>0.01</c> stays), other pipelines may pad them.
    /// </summary>
    public const string TenMilliseconds = "le=~\"0\\\\.010*\"";

    /// <summary>Labels that identify one connection pool of one instance.</summary>
    public static readonly string Pool = $"job, instance, {L.DbConnectionPoolName}";

    /// <summary>
    /// The z-score's standard deviation never counts as smaller than this share of the mean: steady synthetic
    /// or very regular traffic has almost no variance, and a tiny wobble would otherwise be "many sigmas".
    /// </summary>
    public const double RelativeNoiseFloor = 0.2;

    /// <summary>The median absolute deviation times this estimates the standard deviation of normally distributed data.</summary>
    public const double MadToStddev = 1.4826;

    public static IReadOnlyList<RecordingRule> All(RuleContext c)
    {
        var jobs = c.JobSelector;
        var w5 = c.Window("5m");
        var w1 = c.Window("1m");
        return
        [
            new(Requests, $"sum by (job) (rate({M.HttpServerRequestDuration.Count}{{{jobs}}}[{w5}]))"),
            new(RequestsNow, $"sum by (job) (rate({M.HttpServerRequestDuration.Count}{{{jobs}}}[{w1}]))"),
            new(RequestBuckets, $"sum by (job, le) (rate({M.HttpServerRequestDuration.Bucket}{{{jobs}}}[{w1}]))"),
            new(RequestP95, $"histogram_quantile(0.95, {RequestBuckets})"),
            new(RouteRequests, $"sum by (job, {L.HttpRoute}) (rate({M.HttpServerRequestDuration.Count}{{{jobs}, {L.HttpRoute}!=\"\"}}[{w1}]))"),
            new(RouteBuckets, $"sum by (job, {L.HttpRoute}, le) (rate({M.HttpServerRequestDuration.Bucket}{{{jobs}, {L.HttpRoute}!=\"\"}}[{w1}]))"),
            new(RouteP95, $"histogram_quantile(0.95, {RouteBuckets})"),

            // Each route's own normal P95 (issue 20: routes slow by design): the 25th percentile of its one-minute P95,
            // sampled every five minutes over the last day, with whatever history the route has. A subquery over the
            // recorded P95 reads 288 points per route instead of 2,880 raw samples; the 25th percentile (rather than
            // the median) keeps an incident from becoming "normal" until it has lasted three quarters of the day.
            // Minutes without a request (NaN) are left out.
            new(RouteP95Normal, $"quantile_over_time(0.25, ({RouteP95} >= 0)[{c.Window("1d")}:{w5}])"),
            new(RequestsYesterday, Yesterday(c, Requests)),
            new(RequestsRecent, Recent(c, Requests)),
            new(RequestsNormal, Baseline(c, Requests, RequestsYesterday, RequestsRecent, ">")),
            new(RequestsNormalLow, Baseline(c, Requests, RequestsYesterday, RequestsRecent, "<")),
            new(RequestsDeviation, $"abs({Requests} - on (job) {RequestsNormal})"),
            new(RequestsNormalStddev, Spread(c, Requests, RequestsDeviation)),

            // Above the higher normal or below the lower one (they differ only in the first week); 0 between.
            new(RequestsZScore,
                $"(\n  ({Requests} - on (job) {RequestsNormal}) / on (job) {Denominator} > 0\n" +
                $"  or\n" +
                $"  ({Requests} - on (job) {RequestsNormalLow}) / on (job) {Denominator} < 0\n)\n" +
                $"or\n" +
                $"0 * ({Requests} - on (job) {RequestsNormal})"),

            // Both login counters: the library's own (any sign-in) and ASP.NET Core Identity's password checks.
            new(Logins, LoginRate(jobs, w5)),
            new(LoginsNow, LoginRate(jobs, w1)),
            new(LoginsYesterday, Yesterday(c, Logins)),
            new(LoginsRecent, Recent(c, Logins)),
            new(LoginsNormal, Baseline(c, Logins, LoginsYesterday, LoginsRecent, ">")),

            // MemoryGrowthTrend's long regression: the working set of instances that have run for 35 minutes, so that a
            // two-hour regression over a pod younger than that never includes its warm-up (caches, JIT, pools filling).
            new(WarmWorkingSet,
                $"max by (job, instance) ({M.DotnetWorkingSet}{{{jobs}}})\n" +
                $"and on (job, instance)\n" +
                $"max by (job, instance) ({M.ProcessUptime}{{{jobs}}}) > {c.Seconds(35 * 60)}"),

            // The busiest moment of each window: a gauge sampled at scrape time misses short peaks.
            new(PoolUsage,
                $"max by ({Pool}) (max_over_time({M.DbConnectionCount}{{{jobs}, {L.DbConnectionState}=\"used\"}}[{w1}]))\n" +
                $"/ on ({Pool})\n" +
                $"(max by ({Pool}) ({M.DbConnectionMax}{{{jobs}}}) > 0)"),
            new(PoolAcquisitions, $"sum by ({Pool}) (rate({M.DbConnectionWaitTime.Count}{{{jobs}}}[{w1}]))"),
            new(PoolWaitMean,
                $"sum by ({Pool}) (rate({M.DbConnectionWaitTime.Sum}{{{jobs}}}[{w1}]))\n" +
                $"/ on ({Pool})\n" +
                $"sum by ({Pool}) (rate({M.DbConnectionWaitTime.Count}{{{jobs}}}[{w1}]))"),

            // Sees queueing between scrapes: the share of acquisitions that waited longer than 10 ms. The bucket is
            // matched by value, not by one spelling: the exporter writes 0.01 in both formats and Prometheus 3's
            // normalisation keeps 0.01, but an exporter or a translation that writes trailing zeros (0.010) still matches.
            new(PoolWaitedShare,
                $"1 - (\n  sum by ({Pool}) (rate({M.DbConnectionWaitTime.Bucket}{{{jobs}, {TenMilliseconds}}}[{w1}]))\n" +
                $"  / on ({Pool})\n" +
                $"  sum by ({Pool}) (rate({M.DbConnectionWaitTime.Count}{{{jobs}}}[{w1}]))\n)"),
            new(Operations, $"sum by (job) (rate({M.DbOperationDuration.Count}{{{jobs}}}[{w1}]))"),
            new(OperationBuckets, $"sum by (job, le) (rate({M.DbOperationDuration.Bucket}{{{jobs}}}[{w1}]))"),
            new(OperationP95, $"histogram_quantile(0.95, {OperationBuckets})"),
            new(PeerRequests, $"sum by (job, {L.PeerService}) (rate({M.HttpClientRequestDuration.Count}{{{jobs}, {L.PeerService}!=\"\"}}[{w1}]))"),
            new(PeerBuckets, $"sum by (job, {L.PeerService}, le) (rate({M.HttpClientRequestDuration.Bucket}{{{jobs}, {L.PeerService}!=\"\"}}[{w1}]))"),
            new(PeerP95, $"histogram_quantile(0.95, {PeerBuckets})"),

            // Issue 23: the error-budget rates, when a service has a burn-rate alert (Definitions/ErrorBudget.cs).
            .. ErrorBudget.Recording(c),
        ];
    }

    private static string LoginRate(string jobs, string window) =>
        $"sum by (job) (\n  rate({M.LoginAttempts}{{{jobs}}}[{window}])\n  or\n  rate({M.IdentityCheckPasswordAttempts}{{{jobs}}}[{window}])\n)";

    /// <summary>The z-score's denominator: the spread of normal, never below <see cref="RelativeNoiseFloor"/> of it.</summary>
    private static string Denominator =>
        $"(({RequestsNormalStddev} > {RuleContext.Number(RelativeNoiseFloor)} * {RequestsNormal}) or {RuleContext.Number(RelativeNoiseFloor)} * {RequestsNormal})";

    /// <summary>
    /// The same hour yesterday (its mean), once the series existed 20 minutes into that hour: the first-week
    /// normal that knows the daily shape (the morning ramp is "normal" when it happened yesterday too).
    /// </summary>
    private static string Yesterday(RuleContext c, string series) =>
        $"avg_over_time({series}[{c.Window("1h")}] offset {c.Window("1d")})\nand on (job)\n{series} offset {c.Window("1d40m")}";

    /// <summary>
    /// The median of the last 80 minutes, ending ten minutes ago, once the series has 40 minutes of history there.
    /// A median ignores a spike until the spike fills half of the window, so a 45-minute tripling stays three times
    /// normal throughout; the window is short so that a daily ramp (5x over three hours) is never more than about
    /// twice its median (the four hours used before saw every morning ramp as a 3-5x spike, issue 20). The ten
    /// minutes keep a spike's start out of its own baseline; the 40 minutes keep a service's first minutes (a ramp
    /// from zero) from becoming its normal.
    /// </summary>
    private static string Recent(RuleContext c, string series) =>
        $"quantile_over_time(0.5, {series}[{c.Window("80m")}] offset {c.Window("10m")})\nand on (job)\n{series} offset {c.Window("50m")}";

    /// <summary>
    /// "Normal" for a recorded rate. First the same hour last week (its mean), when the series already existed
    /// 20 minutes into that hour. Without a week of history, the higher (<paramref name="compare"/> "&gt;", for
    /// surges) or the lower ("&lt;", for drops) of the same hour yesterday and the recent median, whichever exist:
    /// in its first week a rate is anomalous only when it is far from every normal it has.
    /// </summary>
    private static string Baseline(RuleContext c, string series, string yesterday, string recent, string compare) =>
        $"(\n  avg_over_time({series}[{c.Window("1h")}] offset {c.Window("1w")})\n  and on (job)\n  {series} offset {c.Window("1w40m")}\n)\n" +
        $"or\n" +
        (compare == ">"
            ? $"(\n  {yesterday} {compare} {recent}\n  or\n  ({recent} and on (job) {yesterday})\n  or\n  {FirstDay(c, series, recent)}\n  or\n  {recent}\n  or\n  {yesterday}\n)"
            : $"(\n  {yesterday} {compare} {recent}\n  or\n  {recent}\n  or\n  {yesterday}\n)");

    /// <summary>
    /// The surge normal of a rate's first day (no same hour yesterday yet): the recent median, or the rate 15 minutes
    /// ago where that is higher, unless the rate jumped (by more than <see cref="StepRatio"/> within five minutes) in
    /// the last hour. The median lags a daily ramp by about 50 minutes, so the install day's first morning (2.25x an
    /// hour at its steepest) looked like a spike (issue 20); a smooth ramp never grows much in 15 minutes, while a surge
    /// starts with a jump, after which the median alone judges it for the hour (a 45-minute tripling stays a spike).
    /// </summary>
    private static string FirstDay(RuleContext c, string series, string recent) =>
        $"(\n    max by (job) ({series} offset {c.Window("15m")}) > on (job) {recent}\n" +
        $"    unless on (job)\n" +
        $"    max by (job) (max_over_time(({series} / {series} offset {c.Window("5m")})[{c.Window("1h")}:{c.Window("1m")}])) > {RuleContext.Number(StepRatio)}\n  )";

    /// <summary>A five-minute rate this many times the one five minutes earlier is a jump, not a daily ramp (at most about 1.1).</summary>
    public const double StepRatio = 1.3;

    /// <summary>
    /// The spread of "normal": last week's standard deviation, or without a week of history the median absolute
    /// deviation from normal over the recent median's 80 minutes (scaled to a standard deviation), which a spike
    /// does not inflate either and which widens with a daily ramp (a rate that has moved away from its median for
    /// the last hour is not many sigmas off).
    /// </summary>
    private static string Spread(RuleContext c, string series, string deviation) =>
        $"(\n  stddev_over_time({series}[{c.Window("1h")}] offset {c.Window("1w")})\n  and on (job)\n  {series} offset {c.Window("1w40m")}\n)\n" +
        $"or\n" +
        $"(\n  {RuleContext.Number(MadToStddev)} * quantile_over_time(0.5, {deviation}[{c.Window("80m")}] offset {c.Window("10m")})\n  and on (job)\n  {series} offset {c.Window("50m")}\n)";
}
