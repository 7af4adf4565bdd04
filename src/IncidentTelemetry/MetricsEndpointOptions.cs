namespace IncidentTelemetry;

/// <summary>
/// Where and to whom the Prometheus endpoint answers. Bound from <c>IncidentTelemetry:MetricsEndpoint</c>.
/// </summary>
public sealed class MetricsEndpointOptions
{
    /// <summary>Whether the endpoint is served at all. Default: <see langword="true"/>.</summary>
    public bool Enabled { get; set; } = true;

    /// <summary>The path of the endpoint; must start with <c>/</c>. Default: <c>/metrics</c>.</summary>
    public string Path { get; set; } = "/metrics";

    /// <summary>
    /// A separate management port (1 to 65535) on which alone the endpoint is served, so that it is never
    /// reachable on the public port. Default: <see langword="null"/>, served on the application's own ports.
    /// </summary>
    public int? Port { get; set; }

    /// <summary>
    /// The address the management port binds to. Default: <c>127.0.0.1</c>; use <c>0.0.0.0</c> or <c>::</c>
    /// only together with <see cref="AllowedNetworks"/> or a network policy.
    /// </summary>
    public string PortBindAddress { get; set; } = "127.0.0.1";

    /// <summary>
    /// Networks in CIDR notation (for example <c>10.0.0.0/8</c>, <c>127.0.0.1/32</c>) whose clients may scrape;
    /// others get 403. Default: empty, every client may scrape.
    /// </summary>
    public IList<string> AllowedNetworks { get; } = new List<string>();

    /// <summary>
    /// The name of an ASP.NET Core authorization policy a scrape must satisfy; others get 401 or 403.
    /// Default: <see langword="null"/>, no policy.
    /// </summary>
    public string? AuthorizationPolicy { get; set; }

    /// <summary>
    /// How long one collection answers further scrapes, so that concurrent scrapers do not each collect
    /// (0 to 60 s). Default: 1 second.
    /// </summary>
    public TimeSpan ResponseCacheDuration { get; set; } = TimeSpan.FromSeconds(1);
}
