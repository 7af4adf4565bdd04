using IncidentTelemetry.Rules.Rendering;

namespace IncidentTelemetry.Rules.Definitions;

/// <summary>
/// One bundled alert: its rule text as a function of the service's configuration, its severity and default
/// <c>for</c>. Summary and description are Prometheus templates (<c>$value</c>, <c>$labels</c>).
/// </summary>
internal sealed record AlertDefinition(
    string Name,
    string Severity,
    TimeSpan DefaultFor,
    Func<RuleContext, ServiceConfiguration, string> Expression,
    Func<RuleContext, ServiceConfiguration, string> Summary,
    Func<RuleContext, ServiceConfiguration, string> Description);
