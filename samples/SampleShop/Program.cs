using IncidentTelemetry;

var builder = WebApplication.CreateBuilder(args);

// The one line: every incident signal, and /metrics.
builder.AddIncidentTelemetry();

var app = builder.Build();

app.MapGet("/", () => "SampleShop: try /catalog/items/1 and /metrics");
app.MapGet("/catalog/items/{id:int}", (int id) => Results.Ok(new { id, name = $"item-{id}" }));

app.Run();
