using LocalComponents;

namespace IncidentDrill.Drills;

/// <summary>
/// Week 50, incident 3: a marketing email sends a surge to the catalog endpoints; the gateway's shared
/// resources saturate and every endpoint slows down.
/// </summary>
internal sealed class CatalogCampaign : Drill
{
    public override string Name => "w50-3";

    public override string Title => "API gateway latency spike during a marketing campaign";

    public override string Service => "api-gateway";

    public override IReadOnlyList<string> ExpectedAlerts =>
        [AlertName.EndpointLatencyP95High, AlertName.ServiceLatencyP95High, AlertName.ServiceLatencyP95Rising, AlertName.RequestRateAnomaly];

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
        await context.StartPrometheusAsync(new ScrapeJob("api-gateway", [gateway.Target]));

        var items = context.StartLoad("catalog items", () => new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseUri, $"/catalog/items/{Random.Shared.Next(1000)}")), 15);
        var search = context.StartLoad("catalog search", () => new HttpRequestMessage(HttpMethod.Get, new Uri(gateway.BaseUri, "/catalog/search?q=shoes")), 5);
        await context.HoldAsync(DrillTiming.Baseline, "normal traffic builds the baseline");
        context.BeginIncident("campaign email sent: catalog item traffic jumps twentyfold");
        items.Rate = 300;
        return await context.WaitForAlertsAsync(this.ExpectedAlerts, DrillTiming.AlertTimeout, items, search);
    }
}
