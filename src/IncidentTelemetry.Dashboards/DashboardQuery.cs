namespace IncidentTelemetry.Dashboards;

/// <summary>One PromQL query as Grafana would send it from a rendered dashboard.</summary>
/// <param name="Dashboard">The dashboard's uid.</param>
/// <param name="Kind">Panel target, template variable or annotation.</param>
/// <param name="Title">Panel title, variable name or annotation name.</param>
/// <param name="RefId">The target's refId (A, B, ...) for panels; empty otherwise.</param>
/// <param name="Expr">The query text in the JSON, with template variables. For a variable: the selector inside label_values.</param>
/// <param name="Substituted">The query with every variable replaced as Grafana would, "All" selected everywhere.</param>
/// <param name="Instant">Whether Grafana runs it as an instant query (stat, table, bar gauge, variables) rather than over a range.</param>
internal sealed record DashboardQuery(string Dashboard, QueryKind Kind, string Title, string RefId, string Expr, string Substituted, bool Instant)
{
    /// <summary>Where the query sits, for messages: <c>incidenttelemetry-overview panel "Error ratio" A</c>.</summary>
    public string Source => $"{this.Dashboard} {this.Kind.ToString().ToLowerInvariant()} \"{this.Title}\" {this.RefId}".TrimEnd();
}
