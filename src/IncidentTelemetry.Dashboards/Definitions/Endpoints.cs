using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Dashboards.Model;
using static IncidentTelemetry.Dashboards.Definitions.Promql;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>Drill-down per route: which endpoint is busy, failing or slow.</summary>
internal static class Endpoints
{
    public static DashboardSpec Build() => new(
        Slugs.Endpoints,
        "IncidentTelemetry / Endpoints",
        $"Per-route traffic, errors and latency of the chosen services ({InstrumentNames.HttpServerRequestDuration}).",
        ["drill-down", "http"],
        [Variables.Job, Variables.Instance, Variables.Route],
        [
            new("Traffic and errors",
            [
                new PanelSpec("Requests by route", "Requests per second per route. Which endpoints take the traffic?", PanelKind.TimeSeries, "reqps",
                    [new(SumRate(By(Labels.Job, Labels.HttpRoute), ServerRequests.Count, Route), Legend(Labels.Job, Labels.HttpRoute))])
                { Width = 12, Min = 0 },
                new PanelSpec("Error ratio by route", "Share of 5xx responses per route. Which endpoint fails?", PanelKind.TimeSeries, "percentunit",
                    [new(RateRatio(By(Labels.Job, Labels.HttpRoute), ServerRequests.Count, Route + $", {Labels.HttpResponseStatusCode}=~\"5..\"", Route), Legend(Labels.Job, Labels.HttpRoute))])
                { Width = 12, Min = 0 },
                new PanelSpec("Responses by status code", "Responses per second per route and status code. What are clients getting back?", PanelKind.TimeSeries, "reqps",
                    [new(SumRate(By(Labels.Job, Labels.HttpRoute, Labels.HttpResponseStatusCode), ServerRequests.Count, Route), Legend(Labels.Job, Labels.HttpRoute, Labels.HttpResponseStatusCode))])
                { Width = 12, Min = 0 },
                new PanelSpec("Requests in flight", "Requests being served right now per instance. Is the service saturated?", PanelKind.TimeSeries, "short",
                    [new($"sum by ({By(Labels.Job, Labels.Instance)}) ({Selector(MetricCatalogue.HttpServerActiveRequests, Service)})", Legend(Labels.Job, Labels.Instance))])
                { Width = 12, Min = 0 },
            ]),
            new("Latency",
            [
                new PanelSpec("P95 latency by route", "P95 server latency per route. Which endpoint is slow?", PanelKind.TimeSeries, "s",
                    [new(Quantile(0.95, ServerRequests, By(Labels.Job, Labels.HttpRoute), Route), Legend(Labels.Job, Labels.HttpRoute))])
                { Width = 12, Min = 0 },
                new PanelSpec("P99 latency by route", "P99 server latency per route: the slowest requests users see.", PanelKind.TimeSeries, "s",
                    [new(Quantile(0.99, ServerRequests, By(Labels.Job, Labels.HttpRoute), Route), Legend(Labels.Job, Labels.HttpRoute))])
                { Width = 12, Min = 0 },
                new PanelSpec("Mean latency by route", "Mean server latency per route; compare with P95 to tell a slow tail from a slow route.", PanelKind.TimeSeries, "s",
                    [new(Mean(ServerRequests, By(Labels.Job, Labels.HttpRoute), Route), Legend(Labels.Job, Labels.HttpRoute))])
                { Width = 12, Min = 0 },
                new PanelSpec("Slowest routes now", "Routes ranked by current P95 latency.", PanelKind.Table, "s",
                    [new($"sort_desc(topk(20, {Quantile(0.95, ServerRequests, By(Labels.Job, Labels.HttpRoute), Route)}))", Legend(Labels.Job, Labels.HttpRoute))])
                { Width = 12, Instant = true },
            ]),
        ],
        Slugs.OthersThan(Slugs.Endpoints));
}
