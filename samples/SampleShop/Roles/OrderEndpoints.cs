using System.Collections.Concurrent;

namespace SampleShop.Roles;

/// <summary>
/// order-service: placing an order checks stock at inventory-service. The drill switch turns on the cache
/// bug of week 50 (incident 2): completed orders stay referenced and memory grows until the limit.
/// </summary>
internal static class OrderEndpoints
{
    /// <summary>The named HttpClient; its name becomes <c>peer.service</c> on <c>http.client.request.duration</c>.</summary>
    public const string InventoryClient = "inventory-service";

    private static readonly ConcurrentQueue<byte[]> CompletedOrders = new();
    private static volatile int leakBytesPerOrder;

    public static void AddServices(IServiceCollection services, ShopOptions shop, string selfUrl)
    {
        services.AddHttpClient(InventoryClient, client =>
        {
            client.BaseAddress = new Uri(shop.InventoryUrl ?? selfUrl);
            client.Timeout = TimeSpan.FromSeconds(30);
        });
    }

    public static void Map(WebApplication app, ShopOptions shop)
    {
        app.MapPost("/orders", async (int? sku, IHttpClientFactory clients, CancellationToken token) =>
        {
            var client = clients.CreateClient(InventoryClient);
            using var response = await client.GetAsync($"/inventory/{sku ?? Random.Shared.Next(1_000_000)}", token);
            if (!response.IsSuccessStatusCode)
            {
                return Results.Problem("inventory check failed", statusCode: StatusCodes.Status502BadGateway);
            }

            var leak = leakBytesPerOrder;
            if (leak > 0)
            {
                // The bug: the order cache keeps every completed order (and touches it, so it is really resident).
                var order = new byte[leak];
                Array.Fill(order, (byte)1);
                CompletedOrders.Enqueue(order);
            }

            return Results.Ok(new { status = "placed" });
        });

        if (shop.AdminEnabled)
        {
            app.MapPost("/admin/leak", (int bytesPerOrder) =>
            {
                leakBytesPerOrder = Math.Max(0, bytesPerOrder);
                return Results.Ok(new { bytesPerOrder = leakBytesPerOrder, retained = CompletedOrders.Count });
            });
        }
    }
}
