namespace IncidentTelemetry.Dashboards;

/// <summary>Where a dashboard query comes from.</summary>
internal enum QueryKind
{
    Panel,
    Variable,
    Annotation,
}
