namespace SampleShop.Roles;

/// <summary>api-gateway: forwards the shop's API to the services behind it, each through a named client.</summary>
internal static class GatewayEndpoints
{
    private static readonly (string Path, string Client, Func<ShopOptions, string?> Url)[] Routes =
    [
        ("/api/checkout", "payment-service", static s => s.PaymentUrl),
        ("/api/orders", "order-service", static s => s.OrderUrl),
        ("/api/login", "user-service", static s => s.UserUrl),
    ];

    public static void AddServices(IServiceCollection services, ShopOptions shop)
    {
        foreach (var (_, name, url) in Routes)
        {
            if (url(shop) is { } baseAddress)
            {
                services.AddHttpClient(name, client => client.BaseAddress = new Uri(baseAddress));
            }
        }
    }

    public static void Map(WebApplication app, ShopOptions shop)
    {
        foreach (var (path, name, url) in Routes)
        {
            if (url(shop) is null)
            {
                continue;
            }

            var target = path["/api".Length..];
            app.MapPost(path, async (HttpContext context, IHttpClientFactory clients) =>
            {
                using var content = new StreamContent(context.Request.Body);
                if (context.Request.ContentType is { } type)
                {
                    content.Headers.TryAddWithoutValidation("Content-Type", type);
                }

                using var response = await clients.CreateClient(name).PostAsync(target + context.Request.QueryString, content, context.RequestAborted);
                context.Response.StatusCode = (int)response.StatusCode;
                await response.Content.CopyToAsync(context.Response.Body, context.RequestAborted);
            });
        }
    }
}
