using IncidentTelemetry;
using SampleShop;
using SampleShop.Roles;

// The sample's busiest endpoint, GET /catalog/items/{id}, in one of three builds (Bench:Telemetry):
//   none     no metrics at all
//   builtin  OpenTelemetry with the built-in ASP.NET Core / runtime meters and the /metrics endpoint only
//   full     builder.AddIncidentTelemetry(), as the sample does
var builder = WebApplication.CreateBuilder(args);
builder.Logging.SetMinimumLevel(LogLevel.Warning);
var shop = builder.Configuration.GetSection("Shop").Get<ShopOptions>(o => o.ErrorOnUnknownConfiguration = true) ?? new ShopOptions();
var telemetry = builder.Configuration["Bench:Telemetry"] ?? "full";
switch (telemetry)
{
    case "none":
        break;
    case "builtin":
        BuiltInOnly.Add(builder.Services);
        break;
    case "full":
        builder.AddIncidentTelemetry(o => o.ServiceName = "api-gateway");
        break;
    default:
        throw new InvalidOperationException($"Bench:Telemetry must be none, builtin or full, but was '{telemetry}'.");
}

var app = builder.Build();
if (telemetry == "builtin")
{
    BuiltInOnly.Map(app);
}

CatalogEndpoints.Map(app, shop);
app.MapGet("/", () => $"e2e catalog ({telemetry})");
await app.RunAsync();
