namespace IncidentTelemetry.Rules;

/// <summary>
/// A service's service-level objectives (the <c>objectives:</c> key of a service or of <c>otherServices</c>): the share of
/// requests that must succeed (availability) and the share that must be faster than a latency threshold, over a
/// rolling window. The burn-rate alerts (<see cref="AlertName.AvailabilityBudgetBurnFast"/> and the others) page or open
/// a ticket when the error budget (100 % minus the target) burns fast over a long and a short window together.
/// </summary>
public sealed class ServiceObjectives
{
    /// <summary>What <c>objectives: {}</c> gives: availability 99.9 % over 30 days, no latency objective.</summary>
    internal ServiceObjectives()
    {
    }

    /// <summary>
    /// Availability target in percent: the share of requests answered without a 5xx status
    /// (<c>http_response_status_code</c> of <c>http.server.request.duration</c>). <see langword="null"/> when switched off
    /// (<c>availability: off</c>). Default: 99.9.
    /// </summary>
    public double? AvailabilityTarget { get; internal set; } = 99.9;

    /// <summary>
    /// Latency target in percent: the share of requests faster than <see cref="LatencySeconds"/>. <see langword="null"/>
    /// when switched off. Default: <see langword="null"/> (a latency threshold is the service's own decision).
    /// </summary>
    public double? LatencyTarget { get; internal set; }

    /// <summary>
    /// The latency threshold in seconds; one of the library's latency bucket boundaries (0.005 … 10 s), so that the share
    /// is read from one bucket exactly. Default: 0.5 (the reviews' 500 ms).
    /// </summary>
    public double LatencySeconds { get; internal set; } = 0.5;

    /// <summary>The rolling window the targets hold over: whole days from 7 to 90. Default: 30 days.</summary>
    public TimeSpan Window { get; internal set; } = TimeSpan.FromDays(30);

    /// <summary>
    /// When true, every <c>http_route</c> of the service has its own budget (the same targets), grouped by the label in
    /// one rule; when false, one budget for the whole service. Default: false.
    /// </summary>
    public bool PerRoute { get; internal set; }

    internal ServiceObjectives Clone() => (ServiceObjectives)this.MemberwiseClone();

    /// <summary>Everything that shapes the rendered rules, for comparing services' settings.</summary>
    internal string Key => FormattableString.Invariant($"{this.AvailabilityTarget};{this.LatencyTarget};{this.LatencySeconds};{this.Window};{this.PerRoute}");
}
