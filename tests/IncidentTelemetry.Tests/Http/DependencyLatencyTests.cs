using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Http;
using Microsoft.Extensions.Logging;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.Http;

/// <summary>
/// Week 49, incident 2: order-service became slow because inventory-service was. Two real Kestrel services on
/// loopback; the caller's http.client.request.duration carries peer.service from the named HttpClient, and the P95
/// for inventory-service, from the exported buckets, crosses the 1 s alert threshold when the callee takes 1.2 s.
/// </summary>
public sealed class DependencyLatencyTests(ITestOutputHelper output)
{
    private const string Histogram = "http_client_request_duration_seconds";
    private const int SlowCalls = 20;
    private const int FastCalls = 20;

    [Theory]
    [InlineData("inventory-service", true)]
    [InlineData("payments.v2", true)]
    [InlineData("InventoryClient", true)]           // a typed client's default name, its type name
    [InlineData("https://inventory/", false)]
    [InlineData("inventory.example.com:8443", false)]
    [InlineData("inventory service", false)]
    public void PeerService_ClientName_UsedOnlyWhenItFollowsTheNameRule(string clientName, bool tagged)
    {
        var services = new ServiceCollection();
        services.AddSingleton<IHttpMessageHandlerBuilderFilter, IncidentTelemetry.Http.PeerServiceHandlerBuilderFilter>();
        services.AddHttpClient(clientName);
        using var provider = services.BuildServiceProvider();

        var handlers = new List<HttpMessageHandler>();
        for (HttpMessageHandler? h = provider.GetRequiredService<IHttpMessageHandlerFactory>().CreateHandler(clientName); h is not null; h = (h as DelegatingHandler)?.InnerHandler)
        {
            handlers.Add(h);
        }

        var peer = handlers.OfType<IncidentTelemetry.Http.PeerServiceHandler>().SingleOrDefault();
        Assert.Equal(tagged, peer is not null);
        Assert.Equal(tagged ? clientName : null, peer?.PeerService);
    }

    [Fact]
    public async Task ClientDuration_CalleeSlowedTo1200Ms_P95ForThatPeerServiceAboveOneSecond()
    {
        // The callee: inventory-service answering in 1.2 s, and a fast catalog endpoint.
        var calleeBuilder = WebApplication.CreateBuilder();
        calleeBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        calleeBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        await using var callee = calleeBuilder.Build();
        callee.MapGet("/inventory/{sku:int}", async (int sku) =>
        {
            await Task.Delay(TimeSpan.FromMilliseconds(1200));
            return Results.Ok(sku);
        });
        callee.MapGet("/catalog", () => Results.Ok());
        await callee.StartAsync();
        var calleeUri = new Uri(callee.Urls.First());

        // The caller: order-service with AddIncidentTelemetry and two named clients plus the unnamed default one.
        var callerBuilder = WebApplication.CreateBuilder();
        callerBuilder.WebHost.UseUrls("http://127.0.0.1:0");
        callerBuilder.Logging.SetMinimumLevel(LogLevel.Warning);
        callerBuilder.AddIncidentTelemetry();
        callerBuilder.Services.AddHttpClient("inventory-service", c => c.BaseAddress = calleeUri);
        callerBuilder.Services.AddHttpClient("catalog-service", c => c.BaseAddress = calleeUri);
        await using var caller = callerBuilder.Build();
        caller.MapPost("/orders", async (IHttpClientFactory clients) =>
            (await clients.CreateClient("inventory-service").GetAsync(new Uri("/inventory/7", UriKind.Relative))).StatusCode);
        caller.MapGet("/browse", async (IHttpClientFactory clients) =>
            (await clients.CreateClient("catalog-service").GetAsync(new Uri("/catalog", UriKind.Relative))).StatusCode);
        caller.MapGet("/plain", async (IHttpClientFactory clients) =>
            (await clients.CreateClient().GetAsync(new Uri(calleeUri, "/catalog"))).StatusCode);
        await caller.StartAsync();
        var callerUri = new Uri(caller.Urls.First());

        using var http = new HttpClient { BaseAddress = callerUri, Timeout = TimeSpan.FromMinutes(2) };
        await Task.WhenAll(Enumerable.Range(0, SlowCalls).Select(async _ => (await http.PostAsync("/orders", null)).EnsureSuccessStatusCode()));
        for (var i = 0; i < FastCalls; i++)
        {
            (await http.GetAsync("/browse")).EnsureSuccessStatusCode();
        }

        (await http.GetAsync("/plain")).EnsureSuccessStatusCode();

        var text = await http.GetStringAsync("/metrics");
        var inventory = Exposition.Buckets(text, Histogram, ("peer_service", "inventory-service"));
        var catalog = Exposition.Buckets(text, Histogram, ("peer_service", "catalog-service"));
        var inventoryP95 = Exposition.Quantile(0.95, inventory);
        var catalogP95 = Exposition.Quantile(0.95, catalog);
        output.WriteLine($"P95 from /metrics buckets: inventory-service {inventoryP95:F3} s over {inventory[double.PositiveInfinity]} calls; catalog-service {catalogP95:F4} s");

        // Lower bounds only: every call waited at least 1.2 s; a busy machine may make them slower, never faster.
        Assert.Equal(SlowCalls, inventory[double.PositiveInfinity]);
        Assert.Equal(0, inventory[1]);
        Assert.True(inventoryP95 > 1, $"inventory-service P95 {inventoryP95} s");
        Assert.Equal(FastCalls, catalog[double.PositiveInfinity]);

        // The unnamed client's call is there, without peer.service; no other value of peer.service exists.
        var series = ExpositionSample.ParseAll(text).Where(s => s.Name == Histogram + "_count").ToList();
        Assert.Contains(series, s => !s.Labels.ContainsKey("peer_service") && s.Value >= 1);
        Assert.Equal(["catalog-service", "inventory-service"], series.Where(s => s.Labels.ContainsKey("peer_service")).Select(s => s.Labels["peer_service"]).Distinct().Order());

        // A real Prometheus computes the same from the scraped buckets.
        using var prometheus = await PrometheusServer.StartAsync([new ScrapeJob("order-service", [$"127.0.0.1:{callerUri.Port.ToString(CultureInfo.InvariantCulture)}"])]);
        await prometheus.WaitForTargetsUpAsync(TimeSpan.FromSeconds(60));
        const string Query = "histogram_quantile(0.95, sum by (le) (http_client_request_duration_seconds_bucket{job=\"order-service\",peer_service=\"inventory-service\"}))";
        var fromPrometheus = await Eventually.UntilAsync(
            () => prometheus.QueryScalarAsync(Query),
            value => value is not null,
            TimeSpan.FromSeconds(60),
            "Prometheus to compute the inventory-service P95",
            () => prometheus.Output);
        output.WriteLine($"Prometheus histogram_quantile(0.95): {fromPrometheus:F3} s");
        Assert.True(fromPrometheus > 1, $"Prometheus P95 {fromPrometheus} s");
    }
}
