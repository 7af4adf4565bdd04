using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Dashboards.Model;
using static IncidentTelemetry.Dashboards.Definitions.Promql;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>Drill-down per downstream service: is a dependency slow or failing?</summary>
internal static class Dependencies
{
    public static DashboardSpec Build() => new(
        Slugs.Dependencies,
        "IncidentTelemetry / Dependencies",
        $"Outgoing HTTP calls of the chosen services per peer service ({InstrumentNames.HttpClientRequestDuration} with {AttributeNames.PeerService}).",
        ["drill-down", "http"],
        [Variables.Job, Variables.Instance, Variables.Peer],
        [
            new("Latency",
            [
                SharedPanels.DependencyP95Panel(12),
                new PanelSpec("Dependency P99 latency by peer", "P99 of outgoing calls per peer: the slowest calls.", PanelKind.TimeSeries, "s",
                    [new(Quantile(0.99, ClientRequests, By(Labels.Job, Labels.PeerService), Peer), $"{L(Labels.Job)} → {L(Labels.PeerService)}")])
                { Width = 12, Min = 0 },
                new PanelSpec("Dependency P95 by peer and host", "P95 per peer and server address. Is one host of the peer slow, or all of them?", PanelKind.TimeSeries, "s",
                    [new(Quantile(0.95, ClientRequests, By(Labels.Job, Labels.PeerService, Labels.ServerAddress), Peer), $"{L(Labels.Job)} → {L(Labels.PeerService)} ({L(Labels.ServerAddress)})")])
                { Width = 12, Min = 0 },
                new PanelSpec("Dependency mean latency by peer", "Mean latency of outgoing calls per peer.", PanelKind.TimeSeries, "s",
                    [new(Mean(ClientRequests, By(Labels.Job, Labels.PeerService), Peer), $"{L(Labels.Job)} → {L(Labels.PeerService)}")])
                { Width = 12, Min = 0 },
            ]),
            new("Traffic and errors",
            [
                new PanelSpec("Calls by peer", "Outgoing calls per second per peer. Did call volume to a dependency change?", PanelKind.TimeSeries, "reqps",
                    [new(SumRate(By(Labels.Job, Labels.PeerService), ClientRequests.Count, Peer), $"{L(Labels.Job)} → {L(Labels.PeerService)}")])
                { Width = 12, Min = 0 },
                new PanelSpec("Failed calls by peer", $"Share of outgoing calls that failed ({AttributeNames.ErrorType} set: exception, timeout or error status). Is a dependency failing?", PanelKind.TimeSeries, "percentunit",
                    [new(RateRatio(By(Labels.Job, Labels.PeerService), ClientRequests.Count, Peer + $", {Labels.ErrorType}!=\"\"", Peer), $"{L(Labels.Job)} → {L(Labels.PeerService)}")])
                { Width = 12, Min = 0 },
            ]),
        ],
        Slugs.OthersThan(Slugs.Dependencies));
}
