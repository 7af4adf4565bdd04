namespace IncidentTelemetry.Dashboards.Model;

/// <summary>One PromQL target of a panel.</summary>
/// <param name="Legend">Grafana legend format, for example <c>{{job}} {{http_route}}</c>.</param>
/// <param name="Style">How the series is drawn next to the others.</param>
internal sealed record QuerySpec(string Expr, string Legend, SeriesStyle Style = SeriesStyle.Normal);
