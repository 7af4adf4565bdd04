using System.Globalization;
using System.Text.RegularExpressions;

namespace IncidentTelemetry.Rules.Rendering;

/// <summary>
/// Turns the durations written in the rule definitions into what is rendered: divided by the time scale,
/// windows clamped to the minimum window, in Prometheus syntax; and quotes selectors built from configuration.
/// </summary>
internal sealed partial class RuleContext(RulesConfiguration configuration)
{
    public RulesConfiguration Configuration { get; } = configuration;

    /// <summary>Every named service's job selector, as one alternation.</summary>
    public string NamedJobs => string.Join('|', this.Configuration.Services.Select(s => s.Job).Distinct(StringComparer.Ordinal));

    /// <summary>The job matcher of the recording rules: every job when the other services are watched, else the named ones.</summary>
    public string JobSelector => this.Configuration.OtherServices is not null ? "job=~\".+\"" : "job=~" + Quote(this.Jobs(this.NamedJobs));

    /// <summary>Whether the apps push by OTLP (no <c>up</c>, <c>job</c> is <c>namespace/name</c>, a sample per push).</summary>
    public bool Otlp => this.Configuration.Ingestion == Ingestion.Otlp;

    /// <summary>
    /// A job pattern as the store's <c>job</c> label holds it. Scraped: as configured. Pushed by OTLP: the receivers write
    /// <c>service.namespace/service.name</c>, or <c>service.name</c> alone without a namespace, so the pattern may be
    /// preceded by any namespace (<c>(?:.+/)?order-service</c> matches <c>shop/order-service</c> and <c>order-service</c>).
    /// </summary>
    public string Jobs(string pattern)
    {
        if (!this.Otlp)
        {
            return pattern;
        }

        return pattern.Contains('|', StringComparison.Ordinal) ? $"(?:.+/)?(?:{pattern})" : $"(?:.+/)?{pattern}";
    }

    /// <summary>The job matcher of a service's alerts; the other services are every job but the named ones.</summary>
    public string Job(ServiceConfiguration service)
    {
        if (!service.ForOtherServices)
        {
            return "job=~" + Quote(this.Jobs(service.Job));
        }

        return this.Configuration.Services.Count == 0 ? "job=~\".+\"" : "job!~" + Quote(this.Jobs(this.NamedJobs));
    }

    /// <summary>
    /// The job matcher of a service's redis_exporter alerts: its <c>redisJob</c> and/or <c>sentinelJob</c>; for the other
    /// services, any job but the named services' exporter jobs (whatever job exposes redis_exporter's series).
    /// </summary>
    public string ExporterJobs(ServiceConfiguration service, bool redis, bool sentinel)
    {
        if (!service.ForOtherServices)
        {
            return "job=~" + Quote(string.Join('|', new[] { redis ? service.RedisJob : null, sentinel ? service.SentinelJob : null }.Where(j => j is not null)));
        }

        var named = this.Configuration.Services.SelectMany(s => new[] { s.RedisJob, s.SentinelJob }).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        return named.Count == 0 ? "job=~\".+\"" : "job!~" + Quote(string.Join('|', named));
    }

    /// <summary>
    /// The kube-state-metrics <c>container</c> matcher of KubePodRestarted: the service's container; for the other
    /// services, any container but the named services' ones.
    /// </summary>
    public string Containers(ServiceConfiguration service)
    {
        if (!service.ForOtherServices)
        {
            return "container=~" + Quote(service.KubeContainer);
        }

        var named = this.Configuration.Services.Select(s => s.KubeContainer).Distinct(StringComparer.Ordinal).ToList();
        return named.Count == 0 ? "container!=\"\"" : "container!~" + Quote(string.Join('|', named));
    }

    /// <summary>
    /// Matchers that keep only series carrying every aggregation label (<c>, cluster!=""</c>), empty without
    /// aggregation labels: the places (clusters) that exist are those whose series carry the label, so that a
    /// global ruler's own unlabelled series (its self-scrape, a federation job) do not count as one more place.
    /// </summary>
    public string Labelled => string.Concat(this.Configuration.AggregationLabels.Select(l => $", {l}!=\"\""));

    /// <summary>
    /// Adds the configured aggregation labels (cluster, namespace) to every <c>by (…)</c> and <c>on (…)</c> of an
    /// expression that does not list them yet, so that a global ruler never merges two clusters' series.
    /// </summary>
    public string Aggregate(string expression)
    {
        var labels = this.Configuration.AggregationLabels;
        if (labels.Count == 0)
        {
            return expression;
        }

        return Grouping().Replace(expression, m =>
        {
            var listed = m.Groups["labels"].Value.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
            var missing = labels.Where(l => !listed.Contains(l, StringComparer.Ordinal));
            return $"{m.Groups["keyword"].Value} ({string.Join(", ", missing.Concat(listed))})";
        });
    }

    /// <summary>
    /// A range window or offset, scaled and never below the shortest window: the minimum window, and under OTLP
    /// ingestion 2.5 push intervals (a one-minute window over 60 s pushes would hold one sample or none).
    /// </summary>
    public string Window(string duration)
    {
        var scaled = PromDuration.Parse(duration) / this.Configuration.TimeScale;
        var shortest = this.Configuration.ShortestWindow;
        return PromDuration.Format(scaled < shortest ? shortest : scaled);
    }

    /// <summary>The shortest window: within it, an instance that pushes (or is scraped) always has a sample.</summary>
    public string ShortestWindow => PromDuration.Format(this.Configuration.ShortestWindow);

    /// <summary>
    /// The <c>service</c> label of rules named by their job (the other services, shared rules): the job, and under OTLP
    /// the job without its <c>service.namespace/</c> prefix.
    /// </summary>
    public string ServiceFromJob => this.Otlp ? "{{ reReplaceAll \"^.*/\" \"\" $labels.job }}" : "{{ $labels.job }}";

    /// <summary>A <c>for</c> duration, scaled; null when the alert fires at once.</summary>
    public string? For(TimeSpan duration)
        => duration <= TimeSpan.Zero ? null : PromDuration.Format(duration / this.Configuration.TimeScale);

    /// <summary>A number of seconds that stands for a duration (a prediction horizon), scaled.</summary>
    public string Seconds(double seconds) => Number(Math.Round(seconds / this.Configuration.TimeScale, 3));

    /// <summary>A PromQL double-quoted string literal.</summary>
    public static string Quote(string value) => "\"" + value.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";

    /// <summary>A number as PromQL and the alert texts write it (invariant culture, shortest round-trip form).</summary>
    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    /// <summary>A ratio as a percentage for alert texts (0.75 → 75%).</summary>
    public static string Percent(double ratio) => (ratio * 100).ToString("0.##", CultureInfo.InvariantCulture) + "%";

    /// <summary>Seconds as milliseconds when below a second, for alert texts (0.1 → 100ms, 1 → 1s).</summary>
    public static string Latency(double seconds)
        => seconds < 1 ? (seconds * 1000).ToString("0.##", CultureInfo.InvariantCulture) + "ms" : Number(seconds) + "s";

    [GeneratedRegex(@"\b(?<keyword>by|on) \((?<labels>[a-zA-Z0-9_, ]*)\)", RegexOptions.CultureInvariant)]
    private static partial Regex Grouping();
}
