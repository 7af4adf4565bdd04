namespace IncidentTelemetry.Dashboards.Model;

/// <summary>A threshold line at the value where the named alert fires.</summary>
internal sealed record ThresholdSpec(double Value, string Color, string Alert);
