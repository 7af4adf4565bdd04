using System.Globalization;

namespace IncidentTelemetry.Tests.Prometheus;

/// <summary>The sample service as a user runs it, scraped by promtool and by a real Prometheus server.</summary>
public sealed class SampleServiceTests
{
    private const string Route = "/catalog/items/{id:int}";

    [Fact]
    public async Task Metrics_SampleUnderTraffic_PassesPromtoolLint()
    {
        using var shop = await ShopService.StartAsync("all");
        using var http = new HttpClient();
        await DriveAllEndpointsAsync(http, shop.BaseUri);

        var text = await http.GetStringAsync(new Uri(shop.BaseUri, "/metrics"));

        Assert.Contains("http_server_request_duration_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Contains("db_client_connection_wait_time_seconds_bucket{", text, StringComparison.Ordinal);
        Assert.Empty(await PromtoolLint.FindingsAsync(text));
    }

    [Fact]
    public async Task Prometheus_ScrapesSample_RequestCountEqualsRequestsMade()
    {
        using var shop = await ShopService.StartAsync("all");
        using var prometheus = await PrometheusServer.StartAsync([new ScrapeJob("sample-shop", [shop.Target])]);
        await prometheus.WaitForTargetsUpAsync(TimeSpan.FromSeconds(60));
        using var http = new HttpClient();
        const int requests = 37;
        for (var i = 0; i < requests; i++)
        {
            using var response = await http.GetAsync(new Uri(shop.BaseUri, $"/catalog/items/{i}"));
            response.EnsureSuccessStatusCode();
        }

        var query = $"sum(http_server_request_duration_seconds_count{{job=\"sample-shop\",http_route=\"{Route}\"}})";
        var counted = await Eventually.UntilAsync(
            () => prometheus.QueryScalarAsync(query),
            value => value == requests,
            TimeSpan.FromSeconds(60),
            $"Prometheus to count {requests} requests to {Route}",
            () => prometheus.Output + shop.Output);

        Assert.Equal(requests, counted);
        var up = await prometheus.QueryScalarAsync("up{job=\"sample-shop\"}");
        Assert.Equal(1, up);
        var service = await prometheus.QueryAsync("target_info{job=\"sample-shop\"}");
        Assert.Equal("sample-shop", Assert.Single(service).Labels["service_name"]);
    }

    internal static async Task DriveAllEndpointsAsync(HttpClient http, Uri shop)
    {
        for (var i = 0; i < 5; i++)
        {
            (await http.GetAsync(new Uri(shop, $"/catalog/items/{i.ToString(CultureInfo.InvariantCulture)}"))).Dispose();
            (await http.PostAsync(new Uri(shop, "/checkout"), null)).Dispose();
            (await http.PostAsync(new Uri(shop, $"/orders?sku={i.ToString(CultureInfo.InvariantCulture)}"), null)).Dispose();
            using var login = new StringContent("{\"user\":\"shopper1\",\"password\":\"correct horse\"}", System.Text.Encoding.UTF8, "application/json");
            (await http.PostAsync(new Uri(shop, "/login"), login)).Dispose();
        }
    }
}
