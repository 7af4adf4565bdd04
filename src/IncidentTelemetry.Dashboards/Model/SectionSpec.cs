namespace IncidentTelemetry.Dashboards.Model;

/// <summary>A titled row of panels; panels fill 24 columns left to right and wrap.</summary>
internal sealed record SectionSpec(string Title, IReadOnlyList<PanelSpec> Panels);
