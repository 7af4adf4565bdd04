using System.Data.Common;
using IncidentTelemetry;
using SampleShop;
using SampleShop.Redis;
using SampleShop.Roles;

var builder = WebApplication.CreateBuilder(args);
var shop = builder.Configuration.GetSection("Shop").Get<ShopOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new ShopOptions();
if (!ShopOptions.Roles.Contains(shop.Role))
{
    throw new InvalidOperationException($"Shop:Role must be one of {string.Join(", ", ShopOptions.Roles)}, but was '{shop.Role}'.");
}

// The one line: every incident signal, and /metrics.
builder.AddIncidentTelemetry(o => o.ServiceName ??= shop.Role == ShopOptions.AllRoles ? "sample-shop" : shop.Role);

var selfUrl = (builder.Configuration["Urls"] ?? "http://127.0.0.1:5080").Split(';')[0];
if (shop.Plays("order-service"))
{
    OrderEndpoints.AddServices(builder.Services, shop, selfUrl);
}

if (shop.Role == "api-gateway")
{
    GatewayEndpoints.AddServices(builder.Services, shop);
}

if (shop.Plays("user-service"))
{
    if (shop.Redis is { } redis)
    {
        SessionStore.AddRedis(builder.Services, redis);
    }
    else
    {
        builder.Services.AddDistributedMemoryCache();
    }

    builder.Services.AddSession(o => o.Cookie.Name = "shop.session");
}

if (shop.Plays("payment-service"))
{
    ShopDatabase.Register(builder.Services, shop, "payments-db");
}

if (shop.Plays("inventory-service"))
{
    ShopDatabase.Register(builder.Services, shop, "inventory-db");
}

var app = builder.Build();
if (shop.Plays("user-service"))
{
    app.UseSession();
}

app.MapGet("/", () => $"SampleShop ({shop.Role}): try /catalog/items/1, POST /checkout, POST /orders, POST /login, and /metrics");

if (shop.Plays("api-gateway"))
{
    CatalogEndpoints.Map(app, shop);
    GatewayEndpoints.Map(app, shop);
}

if (shop.Plays("payment-service"))
{
    var payments = app.Services.GetRequiredKeyedService<DbDataSource>("payments-db");
    await PaymentEndpoints.InitializeAsync(payments, ShopDatabase.IsPostgres(shop));
    PaymentEndpoints.Map(app, shop, payments);
}

if (shop.Plays("inventory-service"))
{
    var inventory = app.Services.GetRequiredKeyedService<DbDataSource>("inventory-db");
    await InventoryEndpoints.InitializeAsync(inventory, ShopDatabase.IsPostgres(shop), shop.InventoryRows);
    InventoryEndpoints.Map(app, shop, inventory);
}

if (shop.Plays("order-service"))
{
    OrderEndpoints.Map(app, shop);
}

if (shop.Plays("user-service"))
{
    UserEndpoints.Map(app, shop);
}

await app.RunAsync();
