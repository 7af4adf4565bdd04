using IncidentTelemetry.Rules.Rendering;

namespace IncidentTelemetry.Rules.Definitions;

/// <summary>
/// One bundled alert: its rule text as a function of the service's configuration, its severity and default
/// <c>for</c>, and what a service must have configured for it to apply. Summary and description are Prometheus
/// templates (<c>$value</c>, <c>$labels</c>).
/// </summary>
internal sealed record AlertDefinition(
    string Name,
    string Severity,
    TimeSpan DefaultFor,
    Func<RuleContext, ServiceConfiguration, string> Expression,
    Func<RuleContext, ServiceConfiguration, string> Summary,
    Func<RuleContext, ServiceConfiguration, string> Description,
    AlertNeeds Needs = AlertNeeds.Nothing,
    Func<RuleContext, ServiceConfiguration, IReadOnlyList<(string Name, string Value)>>? Annotations = null)
{
    /// <summary>Whether a service gets this alert without naming it: it has what the alert needs.</summary>
    public bool AppliesTo(ServiceConfiguration service) => this.Needs switch
    {
        // The other services watch whatever job exposes redis_exporter's series.
        AlertNeeds.RedisJob => service.RedisJob is not null || service.ForOtherServices,
        AlertNeeds.SentinelJob => service.SentinelJob is not null || service.ForOtherServices,
        AlertNeeds.RedisOrSentinelJob => service.RedisJob is not null || service.SentinelJob is not null || service.ForOtherServices,
        AlertNeeds.NamedService => !service.ForOtherServices,
        AlertNeeds.AvailabilityObjective => service.Objectives?.AvailabilityTarget is not null,
        AlertNeeds.LatencyObjective => service.Objectives?.LatencyTarget is not null,
        _ => true,
    };
}

/// <summary>What a service must have for an alert to apply to it.</summary>
internal enum AlertNeeds
{
    /// <summary>Only the library's metrics, selected by the service's job: every service gets it.</summary>
    Nothing,

    /// <summary>The job of the redis_exporter scraping the service's Redis nodes.</summary>
    RedisJob,

    /// <summary>The job of the redis_exporter scraping its Sentinels.</summary>
    SentinelJob,

    /// <summary>Either of those jobs.</summary>
    RedisOrSentinelJob,

    /// <summary>A named service (not the "other services" group): it names a job or container that must exist.</summary>
    NamedService,

    /// <summary>An availability objective (<see cref="ServiceConfiguration.Objectives"/>).</summary>
    AvailabilityObjective,

    /// <summary>A latency objective (<see cref="ServiceConfiguration.Objectives"/>).</summary>
    LatencyObjective,
}
