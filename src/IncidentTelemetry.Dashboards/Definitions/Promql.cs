using IncidentTelemetry.Catalogue;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>
/// Builds the PromQL the panels share, so every query filters on the template variables the same way, uses
/// <c>$__rate_interval</c>, and aggregates histogram buckets by <c>le</c> before taking a quantile.
/// </summary>
internal static class Promql
{
    /// <summary>Service and instance filter: every series an instrumented service exposes.</summary>
    public static readonly string Service = $"{Match(Labels.Job, "job")}, {Match(Labels.Instance, "instance")}";

    /// <summary>Service filter plus the route variable (http.server.* series).</summary>
    public static readonly string Route = $"{Service}, {Match(Labels.HttpRoute, "route")}";

    /// <summary>Service filter plus the peer variable (http.client.* series).</summary>
    public static readonly string Peer = $"{Service}, {Match(Labels.PeerService, "peer")}";

    /// <summary>Service filter plus the pool variable (db.client.connection.* series).</summary>
    public static readonly string Pool = $"{Service}, {Match(Labels.DbConnectionPoolName, "pool")}";

    /// <summary>redis_exporter's own scrape job.</summary>
    public static readonly string Redis = Match(Labels.Job, "redis_job");

    public static readonly MetricFamily ServerRequests = MetricCatalogue.HttpServerRequestDuration;
    public static readonly MetricFamily ClientRequests = MetricCatalogue.HttpClientRequestDuration;
    public static readonly MetricFamily DbOperations = MetricCatalogue.DbOperationDuration;
    public static readonly MetricFamily PoolWait = MetricCatalogue.DbConnectionWaitTime;
    public static readonly MetricFamily PoolUse = MetricCatalogue.DbConnectionUseTime;
    public static readonly MetricFamily CachePayload = MetricCatalogue.CachePayloadSize;
    public static readonly MetricFamily CacheDuration = MetricCatalogue.CacheOperationDuration;

    /// <summary>A matcher of <paramref name="label"/> against the template variable <paramref name="variable"/>.</summary>
    public static string Match(Label label, string variable) => $"{label}=~\"${variable}\"";

    /// <summary>A matcher of <paramref name="label"/> equal to <paramref name="value"/>.</summary>
    public static string Is(Label label, string value) => $"{label}=\"{value}\"";

    /// <summary>A label list for <c>by (...)</c>.</summary>
    public static string By(params Label[] labels) => string.Join(", ", labels.Select(static l => l.Name));

    /// <summary>A legend naming each of <paramref name="labels"/>' values, separated by spaces.</summary>
    public static string Legend(params Label[] labels) => string.Join(" ", labels.Select(L));

    /// <summary>The legend placeholder of one label's value.</summary>
    public static string L(Label label) => "{{" + label.Name + "}}";

    public static string Selector(MetricFamily metric, string matchers) => Selector(metric.Name, matchers);

    public static string Selector(string metric, string matchers) => $"{metric}{{{matchers}}}";

    public static string Rate(string metric, string matchers) => $"rate({Selector(metric, matchers)}[$__rate_interval])";

    public static string SumRate(string by, string metric, string matchers) => $"sum by ({by}) ({Rate(metric, matchers)})";

    public static string SumRate(string by, MetricFamily counter, string matchers) => SumRate(by, counter.Name, matchers);

    /// <summary><c>histogram_quantile</c> over buckets summed by <c>le</c> and <paramref name="by"/>.</summary>
    public static string Quantile(double quantile, MetricFamily histogram, string by, string matchers) =>
        FormattableString.Invariant($"histogram_quantile({quantile}, {SumRate(By(Labels.Le) + ", " + by, histogram.Bucket, matchers)})");

    /// <summary>Mean of a histogram over the rate interval: rate of the sum over rate of the count.</summary>
    public static string Mean(MetricFamily histogram, string by, string matchers) =>
        $"{SumRate(by, histogram.Sum, matchers)}\n/\n{SumRate(by, histogram.Count, matchers)}";

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
