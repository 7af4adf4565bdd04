using LocalComponents;

namespace IncidentDrill.Drills;

/// <summary>
/// Week 50, incident 3: a marketing email sends a surge to the catalog endpoints; the gateway's shared
/// resources saturate and every endpoint slows down. As in the review, the surge builds while people open the
/// email: item traffic ramps twentyfold over ten minutes (twenty seconds at the drill's time scale), so the P95
/// climbs instead of jumping.
/// </summary>
internal sealed class CatalogCampaign : Drill
{
    public override string Name => "w50-3";

    public override string Title => "API gateway latency spike during a marketing campaign";

    public override string Service => "api-gateway";

    public override IReadOnlyList<string> ExpectedAlerts =>
        [AlertName.EndpointLatencyP95High, AlertName.ServiceLatencyP95High, AlertName.ServiceLatencyP95Rising, AlertName.RequestRateAnomaly, AlertName.LatencyBudgetBurnFast];

    /// <summary>
    /// A fast burn burns the slow windows too: the ticket may follow the page (the example Alertmanager inhibits it
    /// while the page fires).
    /// </summary>
    public override IReadOnlyList<string> ToleratedAlerts => [AlertName.LatencyBudgetBurnSlow];

    /// <summary>The ramp of the campaign: ten minutes in the review, scaled.</summary>
    private static readonly TimeSpan Ramp = TimeSpan.FromMinutes(10) / DrillTiming.Scale;

    /// <summary>
    /// The review: the gateway's P95 reached 2 s. Observed as the gateway's own P95 (its request-duration histogram)
    /// over 4 s, the rules' scaled minute.
    /// </summary>
    public override DrillImpact Impact => new(
        "gateway P95 reaches 2 s",
        "histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{job=\"api-gateway\"}[4s]))) >= 2");

    public override async Task<IReadOnlyList<string>> RunAsync(DrillContext context)
    {
        // Two requests at a time, 10 ms of work each: about 200 requests a second before requests queue.
        var gateway = await context.StartServiceAsync("api-gateway", new Dictionary<string, string>
        {
            ["Shop:GatewayConcurrency"] = "2",
            ["Shop:CatalogWorkMilliseconds"] = "10",
        });

        // A deployed gateway has served traffic before the incident (a readiness probe, earlier users): without these,
        // its first requests (JIT compilation) are slow, and in a drill the gateway's first minutes are also its whole
        // history, so the latency budget's one-hour window (two minutes here) would count them as a burn.
        for (var i = 0; i < 50; i++)
        {
            using var warmItem = await context.Http.GetAsync(new Uri(gateway.BaseUri, $"/catalog/items/{i}"), context.Token);
            using var warmSearch = await context.Http.GetAsync(new Uri(gateway.BaseUri, "/catalog/search?q=warm"), context.Token);
        }

        await context.StartPrometheusAsync(new ScrapeJob("api-gateway", [gateway.Target]));

        // Shoppers from the e-mail wait for a page rather than give up at once: up to 1024 requests in flight, so the
        // gateway's queue (and its P95) can grow as it did in the review.
        var items = context.StartLoad("catalog items", () => new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseUri, $"/catalog/items/{Random.Shared.Next(1000)}")), 15, maxInFlight: 1024);
        var search = context.StartLoad("catalog search", () => new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseUri, "/catalog/search?q=shoes")), 5);
        await context.HoldAsync(DrillTiming.Baseline, "normal traffic builds the baseline");
        context.BeginIncident($"campaign email sent: catalog item traffic ramps twentyfold over {Ramp.TotalSeconds:0}s");
        var ramp = RampAsync(items, 300, context.Token);
        var missing = await context.WaitForAlertsAsync(this.ExpectedAlerts, DrillTiming.AlertTimeout, items, search);
        await ramp;
        if (missing.Count == 0)
        {
            await context.HoldUntilImpactAsync(TimeSpan.FromSeconds(30));
        }

        return missing;
    }

    /// <summary>Raises the load's rate linearly, once a second, until it reaches <paramref name="to"/>.</summary>
    private static async Task RampAsync(LoadGenerator load, double to, CancellationToken token)
    {
        var from = load.Rate;
        var steps = (int)Ramp.TotalSeconds;
        for (var step = 1; step <= steps; step++)
        {
            await Task.Delay(TimeSpan.FromSeconds(1), token);
            load.Rate = from + ((to - from) * step / steps);
        }
    }
}
