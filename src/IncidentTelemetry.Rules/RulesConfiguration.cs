using IncidentTelemetry.Rules.Configuration;

namespace IncidentTelemetry.Rules;

/// <summary>
/// What the bundled rules are rendered for: the named services (job selector, team, thresholds, <c>for</c>
/// durations, labels), the group for every other job, aggregation labels, a time scale, the PrometheusRule's
/// metadata and where the runbooks live. Immutable: every <c>With…</c> returns a copy.
/// </summary>
/// <example>
/// <code>
/// var config = RulesConfiguration.Load("incident-telemetry.yaml").WithServices("payment-service").WithTimeScale(30);
/// string yaml = RuleRenderer.Render(config, RuleFormat.Prometheus);
/// </code>
/// </example>
public sealed partial class RulesConfiguration
{
    /// <summary>Where the runbooks are published unless configured: docs/runbooks in the repository.</summary>
    public const string DefaultRunbookBaseUrl = "https://github.com/incident-telemetry/incident-telemetry/blob/main/docs/runbooks/";

    private RulesConfiguration(IReadOnlyList<ServiceConfiguration> services, ServiceConfiguration? otherServices)
    {
        this.Services = services;
        this.OtherServices = otherServices;
    }

    /// <summary>
    /// The bundled rules: no named service, and every job that exposes the library's metrics watched with the
    /// reviews' thresholds (team <c>unassigned</c>, priority P3); time scale 1.
    /// </summary>
    public static RulesConfiguration Default => new([], ServiceDefaults.OtherServices());

    /// <summary>The named services alerts are rendered for, in order. Default: none.</summary>
    public IReadOnlyList<ServiceConfiguration> Services { get; private set; }

    /// <summary>
    /// The group for every job that is not a named service (its <c>service</c> label is the job); null when switched off.
    /// Default: on, team <c>unassigned</c>, priority P3.
    /// </summary>
    public ServiceConfiguration? OtherServices { get; private set; }

    /// <summary>
    /// Labels added to every aggregation and match (<c>by</c>, <c>on</c>), such as <c>cluster</c> and <c>namespace</c>:
    /// for a global ruler (Thanos, Mimir, Cortex) that evaluates the rules over several clusters. Empty by default.
    /// </summary>
    public IReadOnlyList<string> AggregationLabels { get; private set; } = [];

    /// <summary>metadata.name of the PrometheusRule manifest. Default: <c>incident-telemetry</c>.</summary>
    public string PrometheusRuleName { get; private set; } = "incident-telemetry";

    /// <summary>metadata.namespace of the PrometheusRule manifest; none when null. Default: <see langword="null"/>.</summary>
    public string? PrometheusRuleNamespace { get; private set; }

    /// <summary>
    /// metadata.labels of the PrometheusRule manifest (for the operator's <c>ruleSelector</c>), after the app.kubernetes.io
    /// ones. Default: empty.
    /// </summary>
    public IReadOnlyDictionary<string, string> PrometheusRuleLabels { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Every service a group is rendered for: the named ones, then the other services.</summary>
    internal IEnumerable<ServiceConfiguration> Groups => this.OtherServices is null ? this.Services : this.Services.Append(this.OtherServices);

    /// <summary>
    /// Every <c>for</c>, range window, offset and prediction horizon is divided by this (default 1). The incident
    /// drills use 30: five minutes become ten seconds.
    /// </summary>
    public double TimeScale { get; private set; } = 1;

    /// <summary>Range windows never shrink below this after scaling (default 4 s: a few scrapes at 1 s).</summary>
    public TimeSpan MinimumWindow { get; private set; } = TimeSpan.FromSeconds(4);

    /// <summary>Base of every <c>runbook_url</c>: the alert name and <c>.md</c> are appended. Default: <see cref="DefaultRunbookBaseUrl"/>.</summary>
    public string RunbookBaseUrl { get; private set; } = DefaultRunbookBaseUrl;

    /// <summary>Extra labels on every alert (for example <c>cluster</c>). Default: empty.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; private set; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>Keeps only the named services (with their Redis jobs); the other-services group is kept as configured.</summary>
    /// <param name="names">Service names present in this configuration.</param>
    /// <exception cref="RulesConfigurationException">A name is not configured.</exception>
    public RulesConfiguration WithServices(params string[] names)
    {
        ArgumentNullException.ThrowIfNull(names);
        var chosen = new List<ServiceConfiguration>();
        foreach (var name in names)
        {
            var service = this.Services.FirstOrDefault(s => s.Name == name)
                ?? throw new RulesConfigurationException("services." + name, $"not configured; known services: {string.Join(", ", this.Services.Select(s => s.Name))}");
            chosen.Add(service);
        }

        var copy = this.Copy();
        copy.Services = chosen;
        return copy;
    }

    /// <summary>Divides every <c>for</c>, window, offset and horizon by <paramref name="scale"/>.</summary>
    /// <param name="scale">Greater than zero; 1 renders real durations.</param>
    /// <exception cref="RulesConfigurationException">The scale is not positive.</exception>
    public RulesConfiguration WithTimeScale(double scale)
    {
        if (!(scale > 0) || double.IsInfinity(scale))
        {
            throw new RulesConfigurationException("timeScale", "must be a number greater than 0");
        }

        var copy = this.Copy();
        copy.TimeScale = scale;
        return copy;
    }

    /// <summary>Sets the base URL of the runbooks (a trailing slash is added when missing).</summary>
    /// <param name="baseUrl">An absolute URL.</param>
    /// <exception cref="RulesConfigurationException">The URL is not absolute.</exception>
    public RulesConfiguration WithRunbookBaseUrl(string baseUrl)
    {
        if (!Uri.TryCreate(baseUrl, UriKind.Absolute, out _))
        {
            throw new RulesConfigurationException("runbookBaseUrl", $"'{baseUrl}' is not an absolute URL");
        }

        var copy = this.Copy();
        copy.RunbookBaseUrl = baseUrl.EndsWith('/') ? baseUrl : baseUrl + "/";
        return copy;
    }

    /// <summary>Reads a YAML configuration (see docs/alerts.md); unknown keys and bad values are errors.</summary>
    /// <param name="yaml">The configuration text.</param>
    /// <exception cref="RulesConfigurationException">The configuration is invalid; the message names the key.</exception>
    public static RulesConfiguration Parse(string yaml) => ConfigurationReader.Read(yaml, Default);

    /// <summary>Reads a YAML configuration file.</summary>
    /// <param name="path">Path of the file.</param>
    /// <exception cref="RulesConfigurationException">The configuration is invalid; the message names the key.</exception>
    public static RulesConfiguration Load(string path) => Parse(File.ReadAllText(path));

    internal RulesConfiguration With(Action<RulesConfiguration> change)
    {
        var copy = this.Copy();
        change(copy);
        return copy;
    }

    /// <summary>Switches the other-services group off (or on with its defaults).</summary>
    /// <param name="enabled">Whether jobs that are not named services are watched.</param>
    public RulesConfiguration WithOtherServices(bool enabled)
    {
        var copy = this.Copy();
        copy.OtherServices = enabled ? this.OtherServices ?? ServiceDefaults.OtherServices() : null;
        return copy;
    }

    /// <summary>Adds <paramref name="labels"/> (for example <c>cluster</c>, <c>namespace</c>) to every <c>by</c> and <c>on</c>.</summary>
    /// <param name="labels">Prometheus label names.</param>
    public RulesConfiguration WithAggregationLabels(params string[] labels)
    {
        ArgumentNullException.ThrowIfNull(labels);
        var copy = this.Copy();
        copy.AggregationLabels = ConfigurationReader.AggregationLabels(labels, "aggregationLabels");
        return copy;
    }

    internal void SetOtherServices(ServiceConfiguration? otherServices) => this.OtherServices = otherServices;

    internal void SetAggregationLabels(IReadOnlyList<string> labels) => this.AggregationLabels = labels;

    internal void SetPrometheusRule(string? name, string? ns, IReadOnlyDictionary<string, string>? labels)
    {
        this.PrometheusRuleName = name ?? this.PrometheusRuleName;
        this.PrometheusRuleNamespace = ns ?? this.PrometheusRuleNamespace;
        this.PrometheusRuleLabels = labels ?? this.PrometheusRuleLabels;
    }

    internal void Set(IReadOnlyList<ServiceConfiguration>? services = null, double? timeScale = null, TimeSpan? minimumWindow = null, string? runbookBaseUrl = null, IReadOnlyDictionary<string, string>? labels = null)
    {
        this.Services = services ?? this.Services;
        this.TimeScale = timeScale ?? this.TimeScale;
        this.MinimumWindow = minimumWindow ?? this.MinimumWindow;
        this.RunbookBaseUrl = runbookBaseUrl ?? this.RunbookBaseUrl;
        this.Labels = labels ?? this.Labels;
    }

    private RulesConfiguration Copy() => (RulesConfiguration)this.MemberwiseClone();
}
