using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Dashboards.Model;
using IncidentTelemetry.Rules;
using IncidentTelemetry.Rules.Definitions;
using static IncidentTelemetry.Dashboards.Definitions.Promql;

namespace IncidentTelemetry.Dashboards.Definitions;

/// <summary>
/// Budget left and burn rate per service (issue 23) for the objectives' defaults, read from their definitions like every
/// other threshold the dashboards draw: availability 99.9 % without a 5xx, latency 99 % under 500 ms, over 30 days. The
/// dashboards do not read a rules configuration, so a service with other targets sees its burn against these. The
/// threshold lines are the burn-rate alerts' factors for 30 days (14.4 and 6: page; 3 and 1: ticket).
/// </summary>
internal static class ErrorBudgets
{
    /// <summary>The availability target drawn: the objectives' default.</summary>
    public static readonly double AvailabilityTarget = ErrorBudget.DefaultAvailabilityTarget;

    /// <summary>The latency target and threshold drawn: the sample shop's gateway objective (latency has no default target).</summary>
    public static readonly double LatencyTarget = ErrorBudget.ReferenceLatencyTarget;

    public static readonly double LatencySeconds = ErrorBudget.DefaultLatencySeconds;

    private static readonly TimeSpan Window = ErrorBudget.DefaultWindow;

    public static DashboardSpec Build() => new(
        Slugs.ErrorBudgets,
        "IncidentTelemetry / Error budgets",
        $"Error budgets of the chosen services against the objectives' defaults ({AvailabilityTarget}% of requests without a 5xx, {LatencyTarget}% faster than {LatencySeconds * 1000:0}ms, over {Window.TotalDays:0} days): how much is left and how fast it burns.",
        ["slo", "http"],
        [Variables.Job, Variables.Instance],
        [
            new("Availability: requests without a server error (5xx)",
            [
                new PanelSpec("Availability budget left (30d)", "Share of the 30-day availability error budget left: 1 minus the 30-day 5xx ratio over the budget (1 minus the target). Below 0: spent.", PanelKind.BarGauge, "percentunit",
                    [new($"1 - {ErrorRatio("30d")}\n/ {Budget(AvailabilityTarget)}", Legend(Labels.Job))])
                { Width = 8, Instant = true, Max = 1, Thresholds = [new(0, "red", AlertName.AvailabilityBudgetBurnSlow)] },
                new PanelSpec("Availability burn rate", "How many times faster than the objective allows the availability budget burns over the alerts' long windows. The page fires when the 1h and 5m burn are above 14.4 (or 6h and 30m above 6), the ticket at 3 (1d and 2h) and 1 (3d and 6h).", PanelKind.TimeSeries, "short",
                    [.. BurnWindows.Select(w => new QuerySpec($"{ErrorRatio(w)}\n/ {Budget(AvailabilityTarget)}", $"{L(Labels.Job)} {w}"))])
                { Width = 16, Min = 0, Thresholds = BurnThresholds(AlertName.AvailabilityBudgetBurnFast, AlertName.AvailabilityBudgetBurnSlow) },
            ]),
            new("Latency: requests faster than the objective's threshold",
            [
                new PanelSpec("Latency budget left (30d)", "Share of the 30-day latency error budget left: 1 minus the 30-day share of requests slower than the threshold over the budget. Below 0: spent. Every route, also those an objective leaves out (routeP95Seconds).", PanelKind.BarGauge, "percentunit",
                    [new($"1 - {SlowRatio("30d")}\n/ {Budget(LatencyTarget)}", Legend(Labels.Job))])
                { Width = 8, Instant = true, Max = 1, Thresholds = [new(0, "red", AlertName.LatencyBudgetBurnSlow)] },
                new PanelSpec("Latency burn rate", "How many times faster than the objective allows the latency budget burns over the alerts' long windows (thresholds as for availability). Every route of the service.", PanelKind.TimeSeries, "short",
                    [.. BurnWindows.Select(w => new QuerySpec($"{SlowRatio(w)}\n/ {Budget(LatencyTarget)}", $"{L(Labels.Job)} {w}"))])
                { Width = 16, Min = 0, Thresholds = BurnThresholds(AlertName.LatencyBudgetBurnFast, AlertName.LatencyBudgetBurnSlow) },
            ]),
        ],
        Slugs.OthersThan(Slugs.ErrorBudgets));

    /// <summary>The long windows of the page (1h, 6h) and of the first ticket pair (1d).</summary>
    private static IEnumerable<string> BurnWindows => ErrorBudget.Page.Select(p => p.Long).Append(ErrorBudget.Ticket[0].Long);

    private static List<ThresholdSpec> BurnThresholds(string page, string ticket)
        => [
            .. ErrorBudget.Page.Select(p => new ThresholdSpec(ErrorBudget.Factor(p, Window), "red", page)),
            .. ErrorBudget.Ticket.Select(p => new ThresholdSpec(ErrorBudget.Factor(p, Window), "orange", ticket)),
        ];

    private static string Budget(double target) => ErrorBudget.Budget(target).ToString("R", System.Globalization.CultureInfo.InvariantCulture);

    private static string Requests(string window) => $"sum by (job) (rate({Selector(ServerRequests.Count, Service)}[{window}]))";

    /// <summary>5xx over requests (0 without any 5xx), only where there were requests.</summary>
    private static string ErrorRatio(string window)
        => $"(sum by (job) (rate({Selector(ServerRequests.Count, $"{Service}, {Labels.HttpResponseStatusCode}=~\"{ErrorBudget.ServerErrors}\"")}[{window}])) or 0 * {Requests(window)})\n" +
           $"/ on (job) ({Requests(window)} > 0)";

    /// <summary>Requests slower than the threshold over requests (the bucket matched in every spelling of its bound).</summary>
    private static string SlowRatio(string window)
        => $"(1 - sum by (job) (rate({Selector(ServerRequests.Bucket, $"{Service}, le=~\"{ErrorBudget.LeMatcher(LatencySeconds)}\"")}[{window}])) / on (job) ({Requests(window)} > 0))";
}
