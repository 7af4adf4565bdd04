using IncidentTelemetry.Rules.Rendering;

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
    public const string RequestsDeviation = "job:http_server_requests:rate5m_deviation";
    public const string RequestsNormalStddev = "job:http_server_requests:rate5m_normal_stddev";
    public const string RequestsZScore = "job:http_server_requests:rate5m_zscore";
    public const string Logins = "job:login_attempts:rate5m";
    public const string LoginsNormal = "job:login_attempts:rate5m_normal";

    // One-minute rates: every condition that a "for" holds. The window is short against the "for", so that the
    // "for" carries the duration the reviews state and the window adds at most a minute to it.
    public const string RequestsNow = "job:http_server_requests:rate1m";
    public const string RequestBuckets = "job_le:http_server_request_duration_seconds_bucket:rate1m";
    public const string RequestP95 = "job:http_server_request_duration_seconds:p95_rate1m";
    public const string RouteRequests = "job_http_route:http_server_requests:rate1m";
    public const string RouteBuckets = "job_http_route_le:http_server_request_duration_seconds_bucket:rate1m";
    public const string RouteP95 = "job_http_route:http_server_request_duration_seconds:p95_rate1m";
    public const string LoginsNow = "job:login_attempts:rate1m";
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
    public const string Pool = "job, instance, db_client_connection_pool_name";

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
            new(Requests, $"sum by (job) (rate(http_server_request_duration_seconds_count{{{jobs}}}[{w5}]))"),
            new(RequestsNow, $"sum by (job) (rate(http_server_request_duration_seconds_count{{{jobs}}}[{w1}]))"),
            new(RequestBuckets, $"sum by (job, le) (rate(http_server_request_duration_seconds_bucket{{{jobs}}}[{w1}]))"),
            new(RequestP95, $"histogram_quantile(0.95, {RequestBuckets})"),
            new(RouteRequests, $"sum by (job, http_route) (rate(http_server_request_duration_seconds_count{{{jobs}, http_route!=\"\"}}[{w1}]))"),
            new(RouteBuckets, $"sum by (job, http_route, le) (rate(http_server_request_duration_seconds_bucket{{{jobs}, http_route!=\"\"}}[{w1}]))"),
            new(RouteP95, $"histogram_quantile(0.95, {RouteBuckets})"),
            new(RequestsNormal, Baseline(c, Requests)),
            new(RequestsDeviation, $"abs({Requests} - on (job) {RequestsNormal})"),
            new(RequestsNormalStddev, Spread(c, Requests, RequestsDeviation)),
            new(RequestsZScore,
                $"({Requests} - on (job) {RequestsNormal})\n" +
                $"/ on (job)\n" +
                $"(({RequestsNormalStddev} > {RuleContext.Number(RelativeNoiseFloor)} * {RequestsNormal}) or {RuleContext.Number(RelativeNoiseFloor)} * {RequestsNormal})"),

            // Both login counters: the library's own (any sign-in) and ASP.NET Core Identity's password checks.
            new(Logins, LoginRate(jobs, w5)),
            new(LoginsNow, LoginRate(jobs, w1)),
            new(LoginsNormal, Baseline(c, Logins)),

            // The busiest moment of each window: a gauge sampled at scrape time misses short peaks.
            new(PoolUsage,
                $"max by ({Pool}) (max_over_time(db_client_connection_count{{{jobs}, db_client_connection_state=\"used\"}}[{w1}]))\n" +
                $"/ on ({Pool})\n" +
                $"(max by ({Pool}) (db_client_connection_max{{{jobs}}}) > 0)"),
            new(PoolAcquisitions, $"sum by ({Pool}) (rate(db_client_connection_wait_time_seconds_count{{{jobs}}}[{w1}]))"),
            new(PoolWaitMean,
                $"sum by ({Pool}) (rate(db_client_connection_wait_time_seconds_sum{{{jobs}}}[{w1}]))\n" +
                $"/ on ({Pool})\n" +
                $"sum by ({Pool}) (rate(db_client_connection_wait_time_seconds_count{{{jobs}}}[{w1}]))"),

            // Sees queueing between scrapes: the share of acquisitions that waited longer than 10 ms. The bucket is
            // matched by value, not by one spelling: the exporter writes 0.01 in both formats and Prometheus 3's
            // normalisation keeps 0.01, but an exporter or a translation that writes trailing zeros (0.010) still matches.
            new(PoolWaitedShare,
                $"1 - (\n  sum by ({Pool}) (rate(db_client_connection_wait_time_seconds_bucket{{{jobs}, {TenMilliseconds}}}[{w1}]))\n" +
                $"  / on ({Pool})\n" +
                $"  sum by ({Pool}) (rate(db_client_connection_wait_time_seconds_count{{{jobs}}}[{w1}]))\n)"),
            new(Operations, $"sum by (job) (rate(db_client_operation_duration_seconds_count{{{jobs}}}[{w1}]))"),
            new(OperationBuckets, $"sum by (job, le) (rate(db_client_operation_duration_seconds_bucket{{{jobs}}}[{w1}]))"),
            new(OperationP95, $"histogram_quantile(0.95, {OperationBuckets})"),
            new(PeerRequests, $"sum by (job, peer_service) (rate(http_client_request_duration_seconds_count{{{jobs}, peer_service!=\"\"}}[{w1}]))"),
            new(PeerBuckets, $"sum by (job, peer_service, le) (rate(http_client_request_duration_seconds_bucket{{{jobs}, peer_service!=\"\"}}[{w1}]))"),
            new(PeerP95, $"histogram_quantile(0.95, {PeerBuckets})"),
        ];
    }

    private static string LoginRate(string jobs, string window) =>
        $"sum by (job) (\n  rate(incident_login_attempts_total{{{jobs}}}[{window}])\n  or\n  rate(aspnetcore_identity_sign_in_check_password_attempts_total{{{jobs}}}[{window}])\n)";

    /// <summary>
    /// "Normal" for a recorded rate. First the same hour last week (its mean), when the series already existed
    /// 20 minutes into that hour. Otherwise the median of the last four hours, ending ten minutes ago, once the
    /// series has 40 minutes of history there: a median ignores a spike until the spike fills half of the
    /// window, so a long spike is not learnt as normal while it goes on (a 45-minute tripling stays three times
    /// normal after one hour of history), and the ten minutes keep a spike's start out of its own baseline.
    /// </summary>
    private static string Baseline(RuleContext c, string series) =>
        $"(\n  avg_over_time({series}[{c.Window("1h")}] offset {c.Window("1w")})\n  and on (job)\n  {series} offset {c.Window("1w40m")}\n)\n" +
        $"or\n" +
        $"(\n  quantile_over_time(0.5, {series}[{c.Window("4h")}] offset {c.Window("10m")})\n  and on (job)\n  {series} offset {c.Window("50m")}\n)";

    /// <summary>
    /// The spread of "normal", from the same source as <see cref="Baseline"/>: last week's standard deviation, or
    /// the median absolute deviation from normal over the last four hours (scaled to a standard deviation), which
    /// a spike does not inflate either.
    /// </summary>
    private static string Spread(RuleContext c, string series, string deviation) =>
        $"(\n  stddev_over_time({series}[{c.Window("1h")}] offset {c.Window("1w")})\n  and on (job)\n  {series} offset {c.Window("1w40m")}\n)\n" +
        $"or\n" +
        $"(\n  {RuleContext.Number(MadToStddev)} * quantile_over_time(0.5, {deviation}[{c.Window("4h")}] offset {c.Window("10m")})\n  and on (job)\n  {series} offset {c.Window("50m")}\n)";
}
