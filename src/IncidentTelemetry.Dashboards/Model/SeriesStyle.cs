namespace IncidentTelemetry.Dashboards.Model;

/// <summary>Drawing style of a target's series in a time series panel.</summary>
internal enum SeriesStyle
{
    Normal,

    /// <summary>A reference line (baseline, limit, normal band): dashed, grey, not filled.</summary>
    Reference,
}
