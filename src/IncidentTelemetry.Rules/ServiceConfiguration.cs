using IncidentTelemetry.Rules.Definitions;

namespace IncidentTelemetry.Rules;

/// <summary>
/// One service the rules watch: how Prometheus knows it (the <c>job</c> label), who owns it, which alerts it gets
/// and with which thresholds and <c>for</c> durations; or, for <see cref="RulesConfiguration.OtherServices"/>,
/// every job that is not a named service. Built from a YAML configuration (<see cref="RulesConfiguration.Parse"/>).
/// </summary>
public sealed class ServiceConfiguration
{
    /// <summary>The group name and <c>service</c> label template of <see cref="RulesConfiguration.OtherServices"/>.</summary>
    internal const string OtherServicesName = "other-services";

    internal ServiceConfiguration(string name, string team, string priority, bool forOtherServices = false)
    {
        this.ForOtherServices = forOtherServices;
        this.Name = name;
        this.Job = System.Text.RegularExpressions.Regex.Escape(name);
        this.Team = team;
        this.Priority = priority;
        this.KubeContainer = this.Job;
    }

    /// <summary>The service name: the <c>service</c> label of its alerts.</summary>
    public string Name { get; }

    /// <summary>
    /// Regular expression for the <c>job</c> label of its scrape targets. Default: the name, regex-escaped (<c>.+</c>, any
    /// job, for the other services).
    /// </summary>
    public string Job { get; internal set; }

    /// <summary>The owning team: the <c>team</c> label Alertmanager routes on. Required for a named service; <c>unassigned</c> for the other services unless configured.</summary>
    public string Team { get; internal set; }

    /// <summary>The <c>priority</c> label of its alerts unless <see cref="Priorities"/> sets one (for example P1). Default: P3.</summary>
    public string Priority { get; internal set; }

    /// <summary>
    /// Alerts this service gets, by name: the configured list, or else every bundled alert that applies to what
    /// it has (a named service gets the Redis exporter alerts with <see cref="RedisJob"/> or <see cref="SentinelJob"/>; the other services get them for any job exposing redis_exporter's series).
    /// </summary>
    public IReadOnlyList<string> Alerts => this.ChosenAlerts ?? [.. AlertCatalog.All.Where(a => a.AppliesTo(this)).Select(a => a.Name)];

    /// <summary>True for the group that watches every job not named among the services.</summary>
    public bool ForOtherServices { get; }

    /// <summary>The <c>alerts:</c> list when configured; null means every alert that applies.</summary>
    internal IReadOnlyList<string>? ChosenAlerts { get; set; }

    /// <summary>How alert texts name the service: its name, or the job label for the other services and shared rules.</summary>
    internal string Display => this.NamedByJob ? "{{ $labels.job }}" : this.Name;

    /// <summary>
    /// The services whose rules this one renders once for all (<see cref="RuleGrouping.Team"/>): their jobs are their
    /// names, so the <c>service</c> label is the <c>job</c>. Null for a service rendered on its own.
    /// </summary>
    internal IReadOnlyList<string>? SharedBy { get; set; }

    /// <summary>Whether the <c>service</c> label and alert texts take the service from the <c>job</c> label.</summary>
    internal bool NamedByJob => this.ForOtherServices || this.SharedBy is not null;

    /// <summary>Thresholds by key (see docs/alerts.md); keys not set take their defaults.</summary>
    public IReadOnlyDictionary<string, double> Thresholds { get; internal set; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary><c>for</c> durations by alert name; alerts not listed keep their defaults.</summary>
    public IReadOnlyDictionary<string, TimeSpan> For { get; internal set; } = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);

    /// <summary><c>priority</c> overrides by alert name. Default: none.</summary>
    public IReadOnlyDictionary<string, string> Priorities { get; internal set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Extra labels on every alert of this service. Default: none.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; internal set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Regular expression for the <c>job</c> of the redis_exporter scraping the service's Redis nodes, if any. Default: <see langword="null"/>; the Redis memory and eviction alerts need it.</summary>
    public string? RedisJob { get; internal set; }

    /// <summary>Regular expression for the <c>job</c> of the redis_exporter scraping its Redis Sentinels, if any. Default: <see langword="null"/>; the Sentinel failover and quorum alerts need it.</summary>
    public string? SentinelJob { get; internal set; }

    /// <summary>Regular expression for the <c>peer_service</c> values DependencyLatencyP95High watches (default: any).</summary>
    public string DependencyPeers { get; internal set; } = ".+";

    /// <summary>Regular expression for the kube-state-metrics <c>container</c> label of its pods. Default: the name, regex-escaped.</summary>
    public string KubeContainer { get; internal set; }

    /// <summary>
    /// P95 thresholds in seconds by <c>http_route</c> for EndpointLatencyP95High, instead of <c>endpointP95Seconds</c>
    /// (<c>routeP95Seconds: {"/reports": 5}</c>). Default: none.
    /// </summary>
    public IReadOnlyDictionary<string, double> RouteP95Seconds { get; internal set; } = new Dictionary<string, double>(StringComparer.Ordinal);

    /// <summary>
    /// Routes slow by design (<c>routeP95Seconds: {"/checkout": slow}</c>): EndpointLatencyP95High judges them by the
    /// <c>slowRouteP95Seconds</c> threshold (default 2.5 s). Default: none.
    /// </summary>
    public IReadOnlyList<string> SlowRoutes { get; internal set; } = [];

    /// <summary>Routes with no latency alert (<c>routeP95Seconds: {"/admin/export": exclude}</c>). Default: none.</summary>
    public IReadOnlyList<string> ExcludedRoutes { get; internal set; } = [];

    /// <summary>
    /// The service's objectives for the error-budget (burn-rate) alerts (<c>objectives:</c>, see docs/alerts.md "Error
    /// budgets"); <see langword="null"/> when it configures none. Default: <see langword="null"/> (no burn-rate alerts).
    /// </summary>
    public ServiceObjectives? Objectives { get; internal set; }

    /// <summary>Every route with its own threshold or excluded: the service's P95 leaves them out.</summary>
    internal IEnumerable<string> OwnThresholdRoutes => this.RouteP95Seconds.Keys.Concat(this.SlowRoutes).Concat(this.ExcludedRoutes);

    /// <summary>The threshold for <paramref name="key"/>: the configured value or its default.</summary>
    internal double ThresholdOf(string key) => this.Thresholds.TryGetValue(key, out var v) ? v : Threshold.All[key].Default;

    internal ServiceConfiguration Clone()
    {
        var copy = (ServiceConfiguration)this.MemberwiseClone();
        copy.Objectives = this.Objectives?.Clone();
        return copy;
    }
}
