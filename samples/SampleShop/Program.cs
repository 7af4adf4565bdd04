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

// The port: ASPNETCORE_URLS, --urls or URLS (any of ASP.NET Core's own settings) when given, else 127.0.0.1:5080. The
// default is set here, not in appsettings.json, where it would override ASPNETCORE_URLS.
if (string.IsNullOrEmpty(builder.Configuration[WebHostDefaults.ServerUrlsKey])
    && string.IsNullOrEmpty(builder.Configuration["HTTP_PORTS"])
    && string.IsNullOrEmpty(builder.Configuration["HTTPS_PORTS"]))
{
    builder.WebHost.UseUrls(ShopOptions.DefaultUrl);
}

var selfUrl = SelfUrl(builder.Configuration);
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

// The shop's own address for the calls one role makes to another in the same process: the first URL it listens on,
// with a wildcard host (+, *, 0.0.0.0, [::]) replaced by the loopback address.
static string SelfUrl(IConfiguration configuration)
{
    var urls = configuration[WebHostDefaults.ServerUrlsKey];
    if (string.IsNullOrEmpty(urls) && configuration["HTTP_PORTS"] is { Length: > 0 } ports)
    {
        urls = "http://127.0.0.1:" + ports.Split(';', ',')[0].Trim();
    }

    var first = (string.IsNullOrEmpty(urls) ? ShopOptions.DefaultUrl : urls).Split(';')[0].Trim();
    foreach (var wildcard in new[] { "://+", "://*", "://0.0.0.0", "://[::]" })
    {
        first = first.Replace(wildcard, "://127.0.0.1", StringComparison.Ordinal);
    }

    return first;
}
