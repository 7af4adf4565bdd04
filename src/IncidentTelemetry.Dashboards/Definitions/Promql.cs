namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>
/// Builds the PromQL the panels share, so every query filters on the template variables the same way, uses
/// <c>$__rate_interval</c>, and aggregates histogram buckets by <c>le</c> before taking a quantile.
/// </summary>
internal static class Promql
{
    /// <summary>Service and instance filter: every series an instrumented service exposes.</summary>
    public const string Service = "job=~\"$job\", instance=~\"$instance\"";

    /// <summary>Service filter plus the route variable (http.server.* series).</summary>
    public const string Route = Service + ", http_route=~\"$route\"";

    /// <summary>Service filter plus the peer variable (http.client.* series).</summary>
    public const string Peer = Service + ", peer_service=~\"$peer\"";

    /// <summary>Service filter plus the pool variable (db.client.connection.* series).</summary>
    public const string Pool = Service + ", db_client_connection_pool_name=~\"$pool\"";

    /// <summary>redis_exporter's own scrape job.</summary>
    public const string Redis = "job=~\"$redis_job\"";

    public const string ServerRequests = "http_server_request_duration_seconds";
    public const string ClientRequests = "http_client_request_duration_seconds";
    public const string DbOperations = "db_client_operation_duration_seconds";
    public const string PoolWait = "db_client_connection_wait_time_seconds";
    public const string PoolUse = "db_client_connection_use_time_seconds";
    public const string CachePayload = "incident_cache_payload_size_bytes";
    public const string CacheDuration = "incident_cache_operation_duration_seconds";

    public static string Selector(string metric, string matchers) => $"{metric}{{{matchers}}}";

    public static string Rate(string metric, string matchers) => $"rate({Selector(metric, matchers)}[$__rate_interval])";

    public static string SumRate(string by, string metric, string matchers) => $"sum by ({by}) ({Rate(metric, matchers)})";

    /// <summary><c>histogram_quantile</c> over buckets summed by <c>le</c> and <paramref name="by"/>.</summary>
    public static string Quantile(double quantile, string histogram, string by, string matchers) =>
        FormattableString.Invariant($"histogram_quantile({quantile}, {SumRate("le, " + by, histogram + "_bucket", matchers)})");

    /// <summary>Mean of a histogram over the rate interval: rate of the sum over rate of the count.</summary>
    public static string Mean(string histogram, string by, string matchers) =>
        $"{SumRate(by, histogram + "_sum", matchers)}\n/\n{SumRate(by, histogram + "_count", matchers)}";

    /// <summary>
    /// Ratio of two counters' rates, both summed by <paramref name="by"/>. While nothing matches the numerator
    /// (no errors yet) the ratio is 0, not "No data".
    /// </summary>
    public static string RateRatio(string by, string metric, string numeratorMatchers, string denominatorMatchers)
    {
        var denominator = SumRate(by, metric, denominatorMatchers);
        return $"(\n  {SumRate(by, metric, numeratorMatchers)}\nor\n  0 * {denominator}\n)\n/\n{denominator}";
    }

    /// <summary>
    /// <paramref name="expr"/>, or 0 for every series of <paramref name="zeroBasis"/> while <paramref name="expr"/>
    /// has none: counters of failures appear only after the first failure, and "No data" looks like broken telemetry.
    /// </summary>
    public static string OrZero(string expr, string zeroBasis) => $"{expr}\nor\n0 * {zeroBasis}";

    /// <summary>The "normal" value of a rate expression: its mean over the baseline window.</summary>
    public static string Baseline(string expr) => $"avg_over_time(({expr})[{DashboardSettings.BaselineWindow}])";

    /// <summary>Upper (+1) or lower (-1) edge of the normal band: mean plus or minus two standard deviations.</summary>
    public static string Band(string expr, int sign)
    {
        var edge = $"{Baseline(expr)} {(sign > 0 ? "+" : "-")} 2 * stddev_over_time(({expr})[{DashboardSettings.BaselineWindow}])";
        return sign > 0 ? edge : $"clamp_min({edge}, 0)";
    }
}
