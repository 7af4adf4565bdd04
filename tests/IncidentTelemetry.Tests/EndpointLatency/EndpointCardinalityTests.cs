using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.EndpointLatency;

/// <summary>
/// Per-endpoint latency (week 50, incident 3: catalog endpoints behind the API gateway) must stay bounded:
/// http.server.request.duration is keyed by route template, never by the raw path a client sends.
/// </summary>
// Runs alone: OpenTelemetry's MeterProvider listens to meters by name process-wide, so requests served by other
// tests' Kestrel apps in parallel would be counted in this app's http.server.request.duration too.
[Collection(nameof(RunsAlone))]
public sealed class EndpointCardinalityTests(ITestOutputHelper output)
{
    private const string Instrument = "http.server.request.duration";
    private const int Requests = 10_000;

    // Every random path segment carries this marker, so a raw path in any attribute value is easy to spot.
    private const string Marker = "rnd";

    private static readonly string[] Templates = ["/catalog/items/{id}", "/catalog/items", "/catalog/search", "/orders/{orderId}/lines/{line}"];
    private static readonly string[] KnownMethods = ["GET", "POST", "PUT", "DELETE", "HEAD", "PATCH", "OPTIONS", "_OTHER"];

    [Fact]
    public async Task RequestDuration_TenThousandRandomUrls_SeriesBoundedByRouteTemplates()
    {
        RouteMetricCapture? added = null;
        await using var app = await LoopbackApp.StartAsync(
            _ => { },
            a =>
            {
                a.MapGet("/catalog/items/{id}", (string id) => Results.Ok(id.Length));
                a.MapGet("/catalog/items", () => Results.Ok());
                a.MapGet("/catalog/search", (string? q) => Results.Ok(q?.Length ?? 0));
                a.MapMethods("/orders/{orderId}/lines/{line}", ["GET", "PUT", "DELETE"], (string orderId, string line) => Results.NoContent());
            },
            builderSetup: builder => added = RouteMetricCapture.AddTo(builder.Services));
        using var capture = added ?? throw new InvalidOperationException("the capture was not added");
        var baseAddress = LoopbackApp.BaseUri(app);

        var random = new Random(20241211);
        var urls = Enumerable.Range(0, Requests).Select(_ => NextRequest(random)).ToArray();
        using var client = new HttpClient { BaseAddress = baseAddress };
        var statuses = new HashSet<HttpStatusCode>();
        await Parallel.ForEachAsync(urls, new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (request, ct) =>
        {
            using var message = new HttpRequestMessage(request.Method, request.Url);
            using var response = await client.SendAsync(message, ct);
            lock (statuses)
            {
                statuses.Add(response.StatusCode);
            }
        });

        // Stopping drains the requests, so every duration has been recorded before the collect.
        await app.StopAsync();
        var series = capture.Collect(Instrument);

        Assert.Equal(Requests, series.Sum(s => s.Count));
        Assert.Contains(HttpStatusCode.NotFound, statuses);
        Assert.Contains(HttpStatusCode.OK, statuses);

        var attributeSets = series.Select(s => string.Join(",", s.Tags.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"))).Distinct().ToList();
        output.WriteLine($"{attributeSets.Count} series for {Requests} requests:");
        foreach (var point in series.OrderByDescending(p => p.Count))
        {
            output.WriteLine($"{point.Count,6} {string.Join(",", point.Tags.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"))}");
        }

        Assert.True(attributeSets.Count <= 40, $"{attributeSets.Count} series for {Requests} random URLs:\n{string.Join("\n", attributeSets)}");

        Assert.DoesNotContain(series, s => s.Tags.ContainsKey("otel.metric.overflow"));
        Assert.All(series.SelectMany(s => s.Tags.Values), v => Assert.DoesNotContain(Marker, v?.ToString() ?? string.Empty, StringComparison.Ordinal));
        Assert.All(series, s => Assert.True(
            !s.Tags.TryGetValue("http.route", out var route) || Templates.Contains(route as string),
            $"http.route '{route}' is not a template"));

        // The unmatched requests (half of them) are counted without a route, in a handful of series.
        var unmatched = series.Where(s => !s.Tags.ContainsKey("http.route")).ToList();
        Assert.NotEmpty(unmatched);
        Assert.True(unmatched.Sum(s => s.Count) >= Requests / 3, $"only {unmatched.Sum(s => s.Count)} unmatched requests were counted");

        var methods = series.Select(s => s.Tags["http.request.method"] as string).Distinct().ToList();
        Assert.All(methods, m => Assert.Contains(m, KnownMethods));
        Assert.Contains("_OTHER", methods);
    }

    private static (HttpMethod Method, string Url) NextRequest(Random random)
    {
        var roll = random.Next(100);
        var path = roll switch
        {
            < 25 => $"/catalog/items/{(random.Next(2) == 0 ? random.Next(1_000_000).ToString(System.Globalization.CultureInfo.InvariantCulture) : Segment(random))}",
            < 30 => "/catalog/items",
            < 35 => "/catalog/search",
            < 45 => $"/orders/{Segment(random)}/lines/{random.Next(100)}",
            < 55 => $"/catalog/items/{Segment(random)}/{Segment(random)}",
            _ => string.Join(string.Empty, Enumerable.Range(0, random.Next(1, 5)).Select(_ => "/" + Segment(random))),
        };

        var query = random.Next(3) switch
        {
            0 => string.Empty,
            1 => $"?q={Segment(random)}",
            _ => $"?{Segment(random)}={Segment(random)}&page={random.Next(50)}",
        };

        var method = random.Next(100) switch
        {
            < 70 => HttpMethod.Get,
            < 78 => HttpMethod.Post,
            < 82 => HttpMethod.Put,
            < 85 => HttpMethod.Delete,
            < 88 => HttpMethod.Head,
            < 90 => HttpMethod.Patch,
            _ => new HttpMethod((Marker + Convert.ToHexString(BitConverter.GetBytes(random.Next()))).ToUpperInvariant()),
        };

        return (method, path + query);
    }

    private static string Segment(Random random) => Marker + random.Next().ToString("x", System.Globalization.CultureInfo.InvariantCulture);
}
