using System.Net;
using System.Text;

namespace IncidentTelemetry.Tests.Caching;

/// <summary>
/// The sample's user-service with its session store in a real Redis (the sample's own RESP cache, decorated
/// automatically): a 200 KB cart shows in the 256 KiB bucket, and when Redis dies the failed session operations carry
/// error_type while the app answers as it would without the library.
/// </summary>
public sealed class RedisSessionPayloadTests
{
    [Fact]
    public async Task Session_RedisBackedSampleThenRedisKilled_PayloadBucketedAndFailuresCarryErrorType()
    {
        using var redis = await RedisTopology.StartAsync(maxMemory: "64mb");
        using var shop = await ShopService.StartAsync("user-service", new Dictionary<string, string>
        {
            ["Shop:Redis:Endpoint"] = $"127.0.0.1:{redis.PrimaryPort}",
            ["Shop:SessionPayloadBytes"] = (200 * 1024).ToString(System.Globalization.CultureInfo.InvariantCulture),
        });
        using var http = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = shop.BaseUri };

        Assert.Equal(HttpStatusCode.OK, await LoginAsync(http));
        var text = await http.GetStringAsync("/metrics");
        var writes = Exposition.Buckets(text, "incident_cache_payload_size_bytes", ("incident_cache_name", "sessions"), ("incident_cache_operation", "write"));
        Assert.Equal(0, writes[65536]);
        Assert.Equal(1, writes[262144]);

        redis.Primary!.Kill();
        var failed = await LoginAsync(http);
        Assert.Equal(HttpStatusCode.InternalServerError, failed);

        // The endpoint caches its answer for a second: poll until the scrape is fresh.
        text = await Eventually.UntilAsync(
            () => http.GetStringAsync("/metrics"),
            t => t.Contains("error_type=", StringComparison.Ordinal) && t.Contains("incident_login_result=\"error\"", StringComparison.Ordinal),
            TimeSpan.FromSeconds(30),
            "the failed session operations on /metrics",
            () => shop.Output);
        var errors = ExpositionSample.ParseAll(text)
            .Where(s => s.Name == "incident_cache_operation_duration_seconds_count" && s.Labels.ContainsKey("error_type"))
            .ToList();
        Assert.NotEmpty(errors);
        Assert.All(errors, s => Assert.Equal("sessions", s.Labels["incident_cache_name"]));
        Assert.All(errors, s => Assert.DoesNotContain(" ", s.Labels["error_type"], StringComparison.Ordinal));
        var loginErrors = ExpositionSample.ParseAll(text).Single(s => s.Name == "incident_login_attempts_total" && s.Labels["incident_login_result"] == "error");
        Assert.Equal(1, loginErrors.Value);
    }

    private static async Task<HttpStatusCode> LoginAsync(HttpClient http)
    {
        using var body = new StringContent("{\"user\":\"shopper7\",\"password\":\"correct horse\"}", Encoding.UTF8, "application/json");
        using var response = await http.PostAsync(new Uri("/login", UriKind.Relative), body);
        return response.StatusCode;
    }
}
