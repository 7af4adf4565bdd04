using System.Diagnostics;

namespace SampleShop.Roles;

/// <summary>
/// api-gateway: the product catalog, and the gateway in front of the other services. All of it shares one
/// limit on concurrent work, the resource a catalog campaign exhausted in week 50 (incident 3).
/// </summary>
internal static class CatalogEndpoints
{
    public static void Map(WebApplication app, ShopOptions shop)
    {
        var limiter = new SemaphoreSlim(shop.GatewayConcurrency);
        var work = TimeSpan.FromMilliseconds(shop.CatalogWorkMilliseconds);

        app.MapGet("/catalog/items/{id:int}", async (int id, CancellationToken token) =>
        {
            await Work(limiter, work, token);
            return Results.Ok(new { id, name = $"item-{id}", price = 10 + (id % 90) });
        });

        app.MapGet("/catalog/search", async (string? q, CancellationToken token) =>
        {
            await Work(limiter, work, token);
            return Results.Ok(new { query = q is { Length: > 0 } ? "given" : "empty", results = 3 });
        });

        app.MapGet("/catalog/categories/{slug}", async (string slug, CancellationToken token) =>
        {
            await Work(limiter, work, token);
            return Results.Ok(new { category = slug.Length, items = 12 });
        });
    }

    private static async Task Work(SemaphoreSlim limiter, TimeSpan work, CancellationToken token)
    {
        await limiter.WaitAsync(token);
        try
        {
            // Rendering a catalog page: a little CPU, done while holding a gateway slot.
            var until = Stopwatch.GetTimestamp() + (long)(work.TotalSeconds * Stopwatch.Frequency);
            while (Stopwatch.GetTimestamp() < until)
            {
                Thread.SpinWait(50);
            }
        }
        finally
        {
            limiter.Release();
        }
    }
}
