using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Dashboards.Model;
using IncidentTelemetry.Rules;
using static IncidentTelemetry.Dashboards.Definitions.Promql;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>The one dashboard the on-call opens: is the chosen service living one of the incidents?</summary>
internal static class ServiceOverview
{
    public static DashboardSpec Build()
    {
        var traffic = SumRate(Labels.Job.Name, ServerRequests.Count, Route);
        return new DashboardSpec(
            Slugs.Overview,
            "IncidentTelemetry / Service overview",
            "For a chosen service: traffic, errors, latency, dependencies, connection pools, sessions and Redis, logins and memory, with the alert thresholds drawn in and firing alerts as annotations. Each panel links to its drill-down.",
            ["overview"],
            [Variables.Job, Variables.Instance, Variables.Route, Variables.Peer, Variables.Pool, Variables.RedisJob],
            [
                new("Traffic, errors and latency",
                [
                    new PanelSpec(
                        "Traffic and its normal band",
                        "Requests per second, with the normal band (mean ± 2 standard deviations over the last day). Is traffic spiking, as in the marketing-campaign incident?",
                        PanelKind.TimeSeries,
                        "reqps",
                        [
                            new(traffic, Legend(Labels.Job)),
                            new(Band(traffic, +1), $"{L(Labels.Job)} normal (high)", SeriesStyle.Reference),
                            new(Band(traffic, -1), $"{L(Labels.Job)} normal (low)", SeriesStyle.Reference),
                        ])
                    { DrillDown = Slugs.Endpoints, Min = 0 },
                    new PanelSpec(
                        "Error ratio",
                        "Share of requests answered with a 5xx status. Are users failing?",
                        PanelKind.TimeSeries,
                        "percentunit",
                        [new(RateRatio(Labels.Job.Name, ServerRequests.Count, Route + $", {Labels.HttpResponseStatusCode}=~\"5..\"", Route), Legend(Labels.Job))])
                    { DrillDown = Slugs.ErrorBudgets, Min = 0 },
                    new PanelSpec(
                        "Latency P95 / P99",
                        "Server-side request latency percentiles. Are users waiting?",
                        PanelKind.TimeSeries,
                        "s",
                        [
                            new(Quantile(0.95, ServerRequests, Labels.Job.Name, Route), $"{L(Labels.Job)} P95"),
                            new(Quantile(0.99, ServerRequests, Labels.Job.Name, Route), $"{L(Labels.Job)} P99"),
                        ])
                    { DrillDown = Slugs.Endpoints, Min = 0 },
                    new PanelSpec(
                        "Top routes by P95 latency",
                        "The ten slowest routes right now. Which endpoint is slow?",
                        PanelKind.BarGauge,
                        "s",
                        [new($"topk(10, {Quantile(0.95, ServerRequests, By(Labels.Job, Labels.HttpRoute), Route)})", Legend(Labels.Job, Labels.HttpRoute))])
                    { DrillDown = Slugs.Endpoints, Instant = true, Width = 12, Min = 0 },
                    SharedPanels.DependencyP95Panel(12) with { DrillDown = Slugs.Dependencies },
                ]),
                new("Database",
                [
                    SharedPanels.PoolUtilisationPanel(8) with { DrillDown = Slugs.DatabasePools },
                    SharedPanels.PoolWaitPanel(8) with { DrillDown = Slugs.DatabasePools },
                    new PanelSpec(
                        "Database operation P95",
                        "P95 of database operations. Did a query get slow, as in the missing-index incident?",
                        PanelKind.TimeSeries,
                        "s",
                        [new(Quantile(0.95, DbOperations, Labels.Job.Name, Pool), Legend(Labels.Job))])
                    {
                        DrillDown = Slugs.DatabasePools,
                        Min = 0,
                        Thresholds = [new(AlertThresholds.DatabaseOperationP95Seconds, "red", AlertName.DatabaseQueryLatencyP95High)],
                    },
                ]),
                new("Sessions and Redis",
                [
                    new PanelSpec(
                        "Session payload size P95",
                        "P95 size of what the service reads from and writes to its session cache. Did a feature start storing much bigger sessions?",
                        PanelKind.TimeSeries,
                        "bytes",
                        [new(Quantile(0.95, CachePayload, By(Labels.Job, Labels.CacheName, Labels.CacheOperation), Service), Legend(Labels.Job, Labels.CacheName, Labels.CacheOperation))])
                    { DrillDown = Slugs.SessionsRedis, Width = 6, Min = 0 },
                    SharedPanels.RedisMemoryRatioPanel(6) with { DrillDown = Slugs.SessionsRedis },
                    SharedPanels.EvictionsPanel(6) with { DrillDown = Slugs.SessionsRedis },
                    SharedPanels.FailoversStat(6) with { DrillDown = Slugs.SessionsRedis },
                ]),
                new("Logins and runtime",
                [
                    SharedPanels.LoginsPanel(8) with { DrillDown = Slugs.Authentication },
                    SharedPanels.MemoryRatioPanel(8) with { DrillDown = Slugs.RuntimeMemory },
                    SharedPanels.RestartsStat(8) with { DrillDown = Slugs.RuntimeMemory },
                ]),
            ],
            Slugs.OthersThan(Slugs.Overview));
    }
}
