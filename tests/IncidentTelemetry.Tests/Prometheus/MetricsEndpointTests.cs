using System.Net;
using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;
using OpenTelemetry.Metrics;

namespace IncidentTelemetry.Tests.Prometheus;

public sealed class MetricsEndpointTests
{
    [Fact]
    public async Task Get_DefaultOptions_ServesTextFormatOnAppPort()
    {
        await using var app = await StartAppAsync(_ => { });
        using var http = new HttpClient();
        await http.GetAsync(new Uri(AppUri(app), "/hello"));

        using var response = await http.GetAsync(new Uri(AppUri(app), "/metrics"));
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        Assert.Contains("http_server_request_duration_seconds_count{", body, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/hello\"", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AcceptOpenMetrics_ServesOpenMetrics()
    {
        await using var app = await StartAppAsync(_ => { });
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(AppUri(app), "/metrics"));
        request.Headers.TryAddWithoutValidation("Accept", "application/openmetrics-text;version=1.0.0,text/plain;version=0.0.4;q=0.5");

        using var response = await http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();

        // OpenTelemetry.Exporter.Prometheus.AspNetCore 1.20.1-beta.1 adds the escaping scheme it applied.
        Assert.StartsWith("application/openmetrics-text; version=1.0.0; charset=utf-8", response.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("# EOF\n", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HeadAndPost_Endpoint_HeadHasNoBodyPostIsRefused()
    {
        await using var app = await StartAppAsync(_ => { });
        using var http = new HttpClient();

        using var head = await http.SendAsync(new HttpRequestMessage(HttpMethod.Head, new Uri(AppUri(app), "/metrics")));
        using var post = await http.PostAsync(new Uri(AppUri(app), "/metrics"), null);

        Assert.Equal(HttpStatusCode.OK, head.StatusCode);
        Assert.Empty(await head.Content.ReadAsByteArrayAsync());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, post.StatusCode);
    }

    [Fact]
    public async Task Get_ManagementPort_ServedThereAndNotOnPublicPort()
    {
        var port = LoopbackPorts.GetFree();
        await using var app = await StartAppAsync(o => o.MetricsEndpoint.Port = port);
        using var http = new HttpClient();

        using var management = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/metrics"));
        using var onPublic = await http.GetAsync(new Uri(AppUri(app), "/metrics"));

        Assert.Equal(HttpStatusCode.OK, management.StatusCode);
        Assert.Contains("target_info{", await management.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, onPublic.StatusCode);
    }

    [Fact]
    public async Task Get_SpoofedManagementHostOnPublicPort_NoMetrics()
    {
        var port = LoopbackPorts.GetFree();
        await using var app = await StartAppAsync(o => o.MetricsEndpoint.Port = port);
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(AppUri(app), "/metrics"));
        request.Headers.Host = $"127.0.0.1:{port}";

        using var spoofed = await http.SendAsync(request);

        Assert.Equal(HttpStatusCode.NotFound, spoofed.StatusCode);
        Assert.DoesNotContain("target_info", await spoofed.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_AppMapsItsOwnScrapingEndpoint_AppsServesLibraryStepsAsideAndSaysSo()
    {
        using var logs = new FakeLoggerProvider();
        await using var app = await LoopbackApp.StartAsync(
            _ => { },
            a =>
            {
                a.MapGet("/hello", () => "hello");
                a.MapPrometheusScrapingEndpoint().WithDisplayName("app's own scrape");
            },
            logger: logs,
            builderSetup: b => b.Services.AddOpenTelemetry().WithMetrics(m => m.AddPrometheusExporter(o => o.ScrapeResponseCacheDurationMilliseconds = 0)));
        using var http = new HttpClient();
        await http.GetStringAsync(new Uri(AppUri(app), "/hello"));

        var body = await http.GetStringAsync(new Uri(AppUri(app), "/metrics"));

        Assert.Contains("http_route=\"/hello\"", body, StringComparison.Ordinal);
        Assert.Contains("process_uptime_seconds", body, StringComparison.Ordinal);
        Assert.DoesNotContain("http_route=\"/metrics\"", body, StringComparison.Ordinal);
        var line = Assert.Single(logs.Collector.GetSnapshot().Where(r => r.Level >= LogLevel.Information).Select(r => r.Message), l => l.Contains("IncidentTelemetry:", StringComparison.Ordinal));
        Assert.Contains("the app maps /metrics itself", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_ManagementPortTaken_StartFailsNamingTheKey()
    {
        using var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAppAsync(o => o.MetricsEndpoint.Port = port));

        Assert.Contains("IncidentTelemetry:MetricsEndpoint:Port", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/8", HttpStatusCode.Forbidden)]
    [InlineData("127.0.0.0/8", HttpStatusCode.OK)]
    public async Task Get_AllowedNetworks_RefusesClientsOutside(string network, HttpStatusCode expected)
    {
        await using var app = await StartAppAsync(o => o.MetricsEndpoint.AllowedNetworks.Add(network));
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(AppUri(app), "/metrics"));

        Assert.Equal(expected, response.StatusCode);
    }

    [Fact]
    public async Task Get_AuthorizationPolicy_OnlyAuthenticatedScraperGetsMetrics()
    {
        var port = LoopbackPorts.GetFree();
        await using var app = await StartAppAsync(
            o =>
            {
                o.MetricsEndpoint.Port = port;
                o.MetricsEndpoint.AuthorizationPolicy = "scrapers";
            },
            services =>
            {
                services.AddAuthentication("token").AddScheme<AuthenticationSchemeOptions, TokenHandler>("token", null);
                services.AddAuthorization(a => a.AddPolicy("scrapers", p => p.RequireAuthenticatedUser().RequireClaim("role", "scraper")));
            });
        using var http = new HttpClient();
        var uri = new Uri($"http://127.0.0.1:{port}/metrics");

        using var anonymous = await http.GetAsync(uri);
        using var withToken = new HttpRequestMessage(HttpMethod.Get, uri);
        withToken.Headers.Add("X-Scrape-Token", "scraper");
        using var authorized = await http.SendAsync(withToken);
        using var wrongRole = new HttpRequestMessage(HttpMethod.Get, uri);
        wrongRole.Headers.Add("X-Scrape-Token", "visitor");
        using var forbidden = await http.SendAsync(wrongRole);

        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.OK, authorized.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task StartAsync_UnknownAuthorizationPolicy_FailsNamingTheKey()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => StartAppAsync(o => o.MetricsEndpoint.AuthorizationPolicy = "nobody-registered-this"));

        Assert.Contains("IncidentTelemetry:MetricsEndpoint:AuthorizationPolicy", error.Message, StringComparison.Ordinal);
        Assert.Contains("nobody-registered-this", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_Disabled_NotServed()
    {
        await using var app = await StartAppAsync(o => o.MetricsEndpoint.Enabled = false);
        using var http = new HttpClient();

        using var response = await http.GetAsync(new Uri(AppUri(app), "/metrics"));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public async Task Get_ConcurrentScrapesDuringTraffic_EveryScrapeCompleteAndValid()
    {
        await using var app = await StartAppAsync(o => o.MetricsEndpoint.ResponseCacheDuration = TimeSpan.Zero);
        using var http = new HttpClient();
        (await http.GetAsync(new Uri(AppUri(app), "/hello"))).Dispose();
        var traffic = Task.WhenAll(Enumerable.Range(0, 200).Select(i => http.GetAsync(new Uri(AppUri(app), $"/hello?i={i}"))));

        var scrapes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => http.GetStringAsync(new Uri(AppUri(app), "/metrics"))));
        foreach (var response in await traffic)
        {
            response.Dispose();
        }

        foreach (var scrape in scrapes)
        {
            Assert.Single(scrape.Split('\n'), l => l == "# TYPE http_server_request_duration_seconds histogram");
            Assert.Empty(await PromtoolLint.FindingsAsync(scrape));
        }
    }

    [Fact]
    public async Task Get_CallbackThrows_EndpointStillAnswersAndAppServes()
    {
        using var meter = new System.Diagnostics.Metrics.Meter(ExporterHarness.UniqueMeterName("throws"));
        meter.CreateObservableGauge<long>("shop.broken", (Func<long>)(() => throw new InvalidOperationException("boom")));
        await using var app = await StartAppAsync(o => o.AdditionalMeters.Add(meter.Name));
        using var http = new HttpClient();

        using var first = await http.GetAsync(new Uri(AppUri(app), "/metrics"));
        using var hello = await http.GetAsync(new Uri(AppUri(app), "/hello"));
        using var second = await http.GetAsync(new Uri(AppUri(app), "/metrics"));

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        Assert.Contains("target_info{", await second.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private static Uri AppUri(WebApplication app) => LoopbackApp.BaseUri(app);

    private static Task<WebApplication> StartAppAsync(Action<IncidentTelemetryOptions> configure, Action<IServiceCollection>? services = null)
        => LoopbackApp.StartAsync(
            configure,
            app => app.MapGet("/hello", () => "hello"),
            builderSetup: services is null ? null : builder => services(builder.Services));

    private sealed class TokenHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder)
        : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
    {
        protected override Task<AuthenticateResult> HandleAuthenticateAsync()
        {
            if (!this.Request.Headers.TryGetValue("X-Scrape-Token", out var role))
            {
                return Task.FromResult(AuthenticateResult.NoResult());
            }

            var identity = new ClaimsIdentity([new Claim("role", role.ToString())], "token");
            return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), "token")));
        }
    }
}
