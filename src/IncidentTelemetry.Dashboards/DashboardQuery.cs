namespace IncidentTelemetry.Dashboards;

/// <summary>One PromQL query as Grafana would run it from a rendered dashboard.</summary>
/// <param name="Dashboard">The dashboard's uid.</param>
/// <param name="Source">Where the query sits: <c>panel 3 "Error ratio" A</c>, <c>variable route</c>, <c>annotation Firing alerts</c>.</param>
/// <param name="Expr">The query text in the JSON, with template variables.</param>
/// <param name="Substituted">The query with every variable replaced as Grafana would ("All" selected).</param>
/// <param name="IsVariable">A label_values variable query: <see cref="Expr"/> and <see cref="Substituted"/> are its inner selector.</param>
internal sealed record DashboardQuery(string Dashboard, string Source, string Expr, string Substituted, bool IsVariable);
