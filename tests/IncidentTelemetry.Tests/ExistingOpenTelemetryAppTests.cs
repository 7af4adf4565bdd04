using System.Net;
using IncidentTelemetry.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.Caching.Distributed;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IncidentTelemetry.Tests;

/// <summary>How the app and the library meet in one cell of <see cref="ExistingOpenTelemetryAppTests"/>.</summary>
public enum Composition
{
    /// <summary><c>AddIncidentTelemetry()</c>, then the app's <c>AddOpenTelemetry()</c>.</summary>
    LibraryFirst,

    /// <summary>The app's <c>AddOpenTelemetry()</c>, then <c>AddIncidentTelemetry()</c>.</summary>
    AppFirst,

    /// <summary>The app's <c>AddOpenTelemetry()</c> with <c>AddIncidentTelemetryInstrumentation()</c>, and <c>AddIncidentTelemetry()</c> too.</summary>
    EntryPointAndLibrary,

    /// <summary>Only the composition entry point, <c>AddIncidentTelemetryInstrumentation()</c>, in the app's own builder.</summary>
    EntryPointOnly,
}

/// <summary>
/// An app that already runs OpenTelemetry (<c>AddService("checkout")</c>, ASP.NET Core and runtime meters, the
/// Prometheus exporter) adopts the library, on real Kestrel. In every cell: one MeterProvider, N requests counted
/// exactly N, one <c>/metrics</c> served by the exporter package, the app's service name, every library meter
/// reporting, and no sample twice. The rows for apps without a Prometheus exporter (OTLP only, the Aspire
/// ServiceDefaults shape, worker services) are in <see cref="OtlpOnlyAppTests"/>.
/// </summary>
[Collection(nameof(RunsAlone))] // counts measurements of meters every app of the process shares
public sealed class ExistingOpenTelemetryAppTests
{
    private const int Requests = 7;

    // Every provider in the process listens to every meter of a name, so other tests' apps' requests reach this one's
    // "Microsoft.AspNetCore.Hosting" streams too: a route no other test maps keeps the count this test's own.
    private static readonly string Route = $"/composition-{Guid.NewGuid():N}";

    public static TheoryData<Composition, bool, bool, bool> Cells()
    {
        var data = new TheoryData<Composition, bool, bool, bool>();
        foreach (var composition in Enum.GetValues<Composition>())
        {
            foreach (var endpointEnabled in new[] { true, false })
            {
                foreach (var appMapsEndpoint in new[] { true, false })
                {
                    foreach (var appView in new[] { false, true })
                    {
                        // Without the library's endpoint and without the app's, nothing serves /metrics: the app chose so.
                        // With the composition entry point alone there is no library endpoint option: the app maps its own.
                        var skip = (!appMapsEndpoint && !endpointEnabled)
                            || (composition == Composition.EntryPointOnly && !(endpointEnabled && appMapsEndpoint));
                        if (!skip)
                        {
                            data.Add(composition, endpointEnabled, appMapsEndpoint, appView);
                        }
                    }
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Cells))]
    public async Task Scrape_ExistingOpenTelemetryApp_OneProviderEverySignalOnceAppServiceName(Composition composition, bool endpointEnabled, bool appMapsEndpoint, bool appView)
    {
        await using var app = await StartAsync(composition, endpointEnabled, appMapsEndpoint, appView);
        using var http = new HttpClient { BaseAddress = LoopbackApp.BaseUri(app) };
        for (var i = 0; i < Requests; i++)
        {
            (await http.GetAsync(new Uri(Route, UriKind.Relative))).EnsureSuccessStatusCode();
        }

        // Library signals: a login, a cache read, a call through a named client (peer.service).
        app.Services.GetRequiredService<ILoginTelemetry>().RecordAttempt(LoginResult.Failure, "password");
        await app.Services.GetRequiredService<IDistributedCache>().GetAsync("missing");
        var named = app.Services.GetRequiredService<IHttpClientFactory>().CreateClient("inventory");
        (await named.GetAsync(new Uri(LoopbackApp.BaseUri(app), "/inventory"))).EnsureSuccessStatusCode();

        using var textResponse = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, textResponse.StatusCode);
        var text = await textResponse.Content.ReadAsStringAsync();
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.TryAddWithoutValidation("Accept", ExporterHarness.OpenMetricsAccept);
        using var openMetricsResponse = await http.SendAsync(request);
        var openMetrics = await openMetricsResponse.Content.ReadAsStringAsync();

        // One MeterProvider, and the endpoint is the exporter package's (it names the escaping it applied).
        Assert.Single(app.Services.GetServices<MeterProvider>());
        Assert.Equal("text/plain", textResponse.Content.Headers.ContentType!.MediaType);
        Assert.Contains("escaping=", openMetricsResponse.Content.Headers.ContentType!.ToString(), StringComparison.Ordinal);
        Assert.EndsWith("# EOF\n", openMetrics, StringComparison.Ordinal);

        foreach (var (format, body) in new[] { ("text", text), ("OpenMetrics", openMetrics) })
        {
            var samples = ExpositionSample.ParseAll(body);

            // No sample twice: every name + label set is unique.
            var duplicates = samples.GroupBy(s => s.Name + "{" + string.Join(",", s.Labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}")) + "}")
                .Where(g => g.Count() > 1).Select(g => g.Key).ToList();
            Assert.True(duplicates.Count == 0, $"{format}: {duplicates.Count} duplicated samples, first {duplicates.FirstOrDefault()}");

            // N requests counted exactly N, in one histogram, and the scrapes themselves are not counted.
            var counted = Exposition.Sum(samples, "http_server_request_duration_seconds_count", ("http_route", Route));
            Assert.True(counted == Requests, $"{format}: {counted} of {Requests} requests counted; {samples.Count} samples, http.server series: {string.Join(" ", samples.Where(s => s.Name == "http_server_request_duration_seconds_count").Select(s => string.Join(",", s.Labels.Select(l => l.Key + "=" + l.Value)) + " " + s.Value))}");
            Assert.DoesNotContain(samples, s => s.Name.StartsWith("http_server_request_duration", StringComparison.Ordinal) && s.Labels.GetValueOrDefault("http_route") == "/metrics");
            var buckets = samples.Where(s => s.Name == "http_server_request_duration_seconds_bucket" && s.Labels.GetValueOrDefault("http_route") == Route)
                .Select(s => s.Labels["le"]).ToList();
            var expectedBounds = appView ? 4 : 17; // the app's view wins: its 3 bounds and +Inf, or the library's 16 and +Inf
            Assert.Equal(expectedBounds, buckets.Count);

            // The app's service name, on target_info.
            var target = Assert.Single(samples, s => s.Name == "target_info");
            Assert.Equal("checkout", target.Labels["service_name"]);

            // Every library meter reports.
            Assert.Contains(samples, s => s.Name == "process_uptime_seconds");
            Assert.Contains(samples, s => s.Name == "incident_process_memory_limit_bytes");
            Assert.Equal(1, Exposition.Sum(samples, "incident_login_attempts_total", ("incident_login_result", "failure")));
            Assert.Contains(samples, s => s.Name == "incident_cache_operation_duration_seconds_count" && s.Labels.GetValueOrDefault("incident_cache_name") == "shared-cache");
            Assert.Contains(samples, s => s.Name == "http_client_request_duration_seconds_count" && s.Labels.GetValueOrDefault("peer_service") == "inventory");
        }
    }

    private static async Task<WebApplication> StartAsync(Composition composition, bool endpointEnabled, bool appMapsEndpoint, bool appView)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { EnvironmentName = "Testing", ApplicationName = "CheckoutAssembly" });
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        builder.Services.AddDistributedMemoryCache();
        builder.Services.AddIncidentTelemetryDistributedCache("shared-cache");
        builder.Services.AddHttpClient("inventory");

        void Library() => builder.AddIncidentTelemetry(o => o.MetricsEndpoint.Enabled = endpointEnabled);
        void App() => builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService("checkout"))
            .WithMetrics(m =>
            {
                m.AddMeter("Microsoft.AspNetCore.Hosting", "System.Net.Http", "System.Runtime");
                if (composition is Composition.EntryPointAndLibrary or Composition.EntryPointOnly)
                {
                    m.AddIncidentTelemetryInstrumentation();
                }

                if (appView)
                {
                    m.AddView("http.server.request.duration", new ExplicitBucketHistogramConfiguration { Boundaries = [0.1, 0.5, 1] });
                }

                m.AddPrometheusExporter();
            });

        switch (composition)
        {
            case Composition.LibraryFirst:
                Library();
                App();
                break;
            case Composition.AppFirst:
            case Composition.EntryPointAndLibrary:
                App();
                Library();
                break;
            case Composition.EntryPointOnly:
                App();
                break;
        }

        var app = builder.Build();
        app.MapGet(Route, () => "hi");
        app.MapGet("/inventory", () => "[]");
        if (appMapsEndpoint)
        {
            app.MapPrometheusScrapingEndpoint().DisableHttpMetrics();
        }

        await app.StartAsync();
        return app;
    }
}
