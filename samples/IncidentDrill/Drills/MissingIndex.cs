using LocalComponents;

namespace IncidentDrill.Drills;

/// <summary>
/// Week 49, incident 2: a migration leaves the inventory table without the index its look-up needs; queries
/// turn into full scans, the pool queues, and order placement slows down.
/// </summary>
internal sealed class MissingIndex : Drill
{
    public override string Name => "w49-2";

    public override string Title => "Inventory service slow queries";

    public override string Service => "inventory-service";

    public override IReadOnlyList<string> Services => ["inventory-service", "order-service"];

    /// <summary>The slow dependency is seen from the caller: order-service calling inventory-service.</summary>
    public override string ServiceOf(string alert) => alert == AlertName.DependencyLatencyP95High ? "order-service" : this.Service;

    public override IReadOnlyList<string> ExpectedAlerts => [AlertName.DatabaseQueryLatencyP95High, AlertName.ConnectionPoolWaitHigh, AlertName.DependencyLatencyP95High];

    public override IReadOnlyList<string> ToleratedAlerts => [AlertName.ConnectionPoolQueueing, AlertName.ConnectionPoolUtilisationHigh, AlertName.ConnectionPoolUtilisationCritical, AlertName.ConnectionPoolTimeouts, AlertName.ConnectionPoolExhaustionPredicted];

    /// <summary>
    /// The review: order placement's P95 reached 6 s. Observed as order-service's own P95 (its request-duration
    /// histogram) over 4 s, the rules' scaled minute.
    /// </summary>
    public override DrillImpact Impact => new(
        "order P95 reaches 6 s",
        "histogram_quantile(0.95, sum by (le) (rate(http_server_request_duration_seconds_bucket{job=\"order-service\"}[4s]))) >= 6");

    public override async Task<IReadOnlyList<string>> RunAsync(DrillContext context)
    {
        var postgres = await context.StartPostgresAsync();
        var inventory = await context.StartServiceAsync("inventory-service", new Dictionary<string, string>
        {
            ["Shop:Database"] = postgres.ConnectionString(),
            ["Shop:PoolSize"] = "10",
            // Enough rows that a full scan per look-up saturates the machine whatever its speed: with 400,000 a
            // quiet machine scanned the cached table fast enough that the incident faded after a few seconds.
            ["Shop:InventoryRows"] = "1500000",
        });
        var order = await context.StartServiceAsync("order-service", new Dictionary<string, string> { ["Shop:InventoryUrl"] = inventory.BaseUri.ToString() });
        // Cold services (JIT, the pool's first physical connections) queue the first seconds of load; in a
        // test run on a busy machine that briefly filled the pool. The drill starts watching once they are warm,
        // as Prometheus watches a service that has been running.
        var orders = context.StartLoad("orders", () => new HttpRequestMessage(HttpMethod.Post, new Uri(order.BaseUri, "/orders")), 20);
        await context.HoldAsync(TimeSpan.FromSeconds(15), "warm-up before monitoring starts");
        await context.StartPrometheusAsync(new ScrapeJob("inventory-service", [inventory.Target]), new ScrapeJob("order-service", [order.Target]));
        await context.HoldAsync(DrillTiming.Baseline / 4, "normal order traffic");
        context.BeginIncident("the migration runs: the inventory index is gone");
        await context.PostAsync(inventory.BaseUri, "/admin/inventory/index?present=false");
        return await context.WaitForAlertsAsync(this.ExpectedAlerts, DrillTiming.AlertTimeout, orders);
    }
}
