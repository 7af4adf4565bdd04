namespace IncidentTelemetry.Dashboards.Tests.Infrastructure;

/// <summary>
/// Every query of the dashboards as the generator renders them, read back from their JSON with the same reader the
/// drills use on the committed files (LocalComponents' <see cref="GrafanaDashboard"/>), so that the tests check what
/// Grafana would send.
/// </summary>
internal static class RenderedQueries
{
    public static IReadOnlyList<GrafanaQuery> All() => [.. DashboardCatalog.Render().SelectMany(d => GrafanaDashboard.Queries(d.Json))];
}
