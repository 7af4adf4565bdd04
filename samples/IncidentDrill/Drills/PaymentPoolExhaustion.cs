using LocalComponents;

namespace IncidentDrill.Drills;

/// <summary>
/// Week 50, incident 1: a traffic spike of three times the normal volume exhausts payment-service's
/// connection pool, sized for normal traffic.
/// </summary>
internal sealed class PaymentPoolExhaustion : Drill
{
    public override string Name => "w50-1";

    public override string Title => "Payment service database connection pool exhaustion";

    public override string Service => "payment-service";

    public override IReadOnlyList<string> ExpectedAlerts =>
        [AlertName.ConnectionPoolUtilisationHigh, AlertName.ConnectionPoolUtilisationCritical, AlertName.ConnectionPoolQueueing, AlertName.TrafficSpike];

    /// <summary>
    /// What follows from the pool filling up; the availability budget's alerts too, once checkouts that waited out the
    /// pool answer 500 (the drill usually ends before).
    /// </summary>
    public override IReadOnlyList<string> ToleratedAlerts =>
        [AlertName.ConnectionPoolTimeouts, AlertName.ConnectionPoolWaitHigh, AlertName.ConnectionPoolExhaustionPredicted, AlertName.AvailabilityBudgetBurnFast, AlertName.AvailabilityBudgetBurnSlow];

    /// <summary>
    /// The review: checkouts failed once the pool was exhausted. Observed as the service's own count of requests that
    /// gave up waiting for a connection (the library's <c>db.client.connection.timeouts</c>) rising.
    /// </summary>
    public override DrillImpact Impact => new(
        "the first checkout times out on the pool",
        "sum(increase(db_client_connection_timeouts_total{job=\"payment-service\"}[10s])) > 0");

    public override async Task<IReadOnlyList<string>> RunAsync(DrillContext context)
    {
        var postgres = await context.StartPostgresAsync();
        // A pool of 10 where each checkout holds its connection for 135 ms: 25 checkouts a second keep
        // about 3 connections busy; three times that needs 10.1, more than the pool has, so requests queue
        // whatever the machine (at 120 ms an idle CI machine kept up with 9 of 10 and barely queued).
        var payment = await context.StartServiceAsync("payment-service", new Dictionary<string, string>
        {
            ["Shop:Database"] = postgres.ConnectionString(),
            ["Shop:PoolSize"] = "10",
            ["Shop:CheckoutHoldMilliseconds"] = "135",
        });
        await context.StartPrometheusAsync(new ScrapeJob("payment-service", [payment.Target]));

        var checkout = context.StartLoad("checkout", () => new HttpRequestMessage(HttpMethod.Post, new Uri(payment.BaseUri, "/checkout")), 25);
        await context.HoldAsync(DrillTiming.Baseline, "normal traffic builds the baseline");
        context.BeginIncident("marketing spike: checkout traffic triples");
        checkout.Rate = 75;
        return await context.WaitForAlertsAsync(this.ExpectedAlerts, DrillTiming.AlertTimeout, checkout);
    }
}
