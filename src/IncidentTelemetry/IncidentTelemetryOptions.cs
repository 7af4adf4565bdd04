namespace IncidentTelemetry;

/// <summary>
/// Options of <c>AddIncidentTelemetry()</c> (<see cref="IncidentTelemetryHostingExtensions"/>). They bind from the
/// <c>IncidentTelemetry</c> configuration section and from the delegate given at startup, and are
/// validated when the host starts: a bad value stops the start with a message that names the key.
/// </summary>
public sealed class IncidentTelemetryOptions
{
    /// <summary>The configuration section the options bind from: <c>IncidentTelemetry</c>.</summary>
    public const string SectionName = "IncidentTelemetry";

    /// <summary>
    /// The <c>service.name</c> resource attribute (Prometheus shows it on <c>target_info</c> and as <c>job</c>
    /// when the scrape config uses it). Default: <c>OTEL_SERVICE_NAME</c> or <c>OTEL_RESOURCE_ATTRIBUTES</c> when
    /// set, else the host's application name. A value set here wins over both; the app's own
    /// <c>ConfigureResource</c> wins over this.
    /// </summary>
    public string? ServiceName { get; set; }

    /// <summary>The <c>service.namespace</c> resource attribute. Default: from <c>OTEL_RESOURCE_ATTRIBUTES</c> when set, else none.</summary>
    public string? ServiceNamespace { get; set; }

    /// <summary>
    /// The <c>service.version</c> resource attribute. Default: from <c>OTEL_RESOURCE_ATTRIBUTES</c> when set, else the
    /// entry assembly's informational version without its <c>+revision</c> suffix (or its assembly version).
    /// </summary>
    public string? ServiceVersion { get; set; }

    /// <summary>
    /// The <c>service.instance.id</c> resource attribute. Default: from <c>OTEL_RESOURCE_ATTRIBUTES</c> when set, else
    /// <c>{machine name}-{process id}</c>.
    /// </summary>
    public string? ServiceInstanceId { get; set; }

    /// <summary>
    /// The most series one instrument may have (1 to 100,000). Measurements with further attribute sets
    /// are aggregated into one overflow series (<c>otel_metric_overflow="true"</c>). Default: 2000.
    /// </summary>
    public int CardinalityLimit { get; set; } = Internal.MetricsConstants.DefaultCardinalityLimit;

    /// <summary>Names of further meters to export beside the built-in and the library's own. Default: none.</summary>
    public IList<string> AdditionalMeters { get; } = new List<string>();

    /// <summary>The Prometheus endpoint (<c>/metrics</c>).</summary>
    public MetricsEndpointOptions MetricsEndpoint { get; } = new();
}
