namespace IncidentTelemetry.Dashboards.Model;

/// <summary>The Grafana panel types the dashboards use.</summary>
internal enum PanelKind
{
    TimeSeries,
    Stat,
    BarGauge,
    Table,
}
