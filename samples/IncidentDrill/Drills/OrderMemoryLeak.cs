using LocalComponents;

namespace IncidentDrill.Drills;

/// <summary>
/// Week 50, incident 2: a caching bug keeps every completed order; order-service's memory grows until the
/// kernel OOM-kills it at its container limit, and it is restarted. The drill runs order-service in a real
/// memory cgroup and restarts it when it dies, as Kubernetes would.
/// </summary>
internal sealed class OrderMemoryLeak : Drill
{
    private const long Limit = 384L * 1024 * 1024;

    public override string Name => "w50-2";

    public override string Title => "Order service memory leak";

    public override string Service => "order-service";

    public override IReadOnlyList<string> Services => ["order-service", "inventory-service"];

    public override IReadOnlyList<string> ExpectedAlerts => [AlertName.MemoryGrowthTrend, AlertName.MemoryNearLimit, AlertName.ServiceRestarted];

    public override IReadOnlyList<string> ToleratedAlerts => [AlertName.ServiceMetricsMissing];

    /// <summary>The review: the first OOM kill. Observed by the drill's supervisor when the kernel ends the process.</summary>
    public override DrillImpact Impact => new("order-service is OOM-killed (first restart)");

    public override async Task<IReadOnlyList<string>> RunAsync(DrillContext context)
    {
        using var cgroup = MemoryCgroup.TryCreate(Limit, out var reason)
            ?? throw new DrillCannotRunException($"w50-2 needs a memory cgroup to enforce a container limit: {reason}");
        context.Log.Line($"memory cgroup {cgroup.Path} with limit {cgroup.LimitBytes / (1024 * 1024)} MiB");

        var inventory = await context.StartServiceAsync("inventory-service");
        var order = await context.StartServiceAsync(
            "order-service",
            new Dictionary<string, string> { ["Shop:InventoryUrl"] = inventory.BaseUri.ToString() },
            // Let the GC grow past the cgroup limit (by default it stops at 75 % of it and throws
            // OutOfMemoryException instead): the kernel's OOM killer then ends the process, as in the incident.
            environment: new Dictionary<string, string> { ["DOTNET_GCHeapHardLimit"] = "0x40000000" },
            launcher: cgroup.LauncherPrefix);
        await context.StartPrometheusAsync(new ScrapeJob("order-service", [order.Target]), new ScrapeJob("inventory-service", [inventory.Target]));

        var orders = context.StartLoad("orders", () => new HttpRequestMessage(HttpMethod.Post, new Uri(order.BaseUri, "/orders")), 20);
        await context.HoldAsync(DrillTiming.Baseline / 4, "normal order traffic");
        // 128 KiB per order at 20 orders a second: about 2.5 MiB/s, so the instance lives about two
        // minutes (an hour scaled): long enough for the growth alert (35 scaled minutes of uptime, a 20-minute
        // regression window and a 10-minute "for") to fire before memory reaches 80 % of the limit.
        context.BeginIncident("release with the cache bug: every order now keeps 128 KiB");
        await context.PostAsync(order.BaseUri, "/admin/leak?bytesPerOrder=131072");

        // Play the orchestrator: when the kernel kills the process, start it again (the bug ships with it).
        using var restarts = new CancellationTokenSource();
        var supervisor = Task.Run(async () =>
        {
            while (!restarts.IsCancellationRequested)
            {
                if (order.HasExited)
                {
                    context.ObserveImpact(this.Impact.Description);
                    context.Log.Line($"order-service was killed (cgroup memory.failcnt {cgroup.FailCount}); restarting it");
                    await order.RestartAsync();
                    await context.PostAsync(order.BaseUri, "/admin/leak?bytesPerOrder=131072");
                }

                await Task.Delay(250, restarts.Token);
            }
        });

        try
        {
            return await context.WaitForAlertsAsync(this.ExpectedAlerts, DrillTiming.AlertTimeout, orders);
        }
        finally
        {
            await restarts.CancelAsync();
            try
            {
                await supervisor;
            }
            catch (OperationCanceledException)
            {
            }
        }
    }
}
