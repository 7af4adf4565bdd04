using System.Collections.Concurrent;
using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.Prometheus;

/// <summary>
/// Many concurrent requests on several routes while four scrapers pull /metrics at once: no lost or doubled
/// measurement, no corrupted exposition, nothing reported by the library.
/// </summary>
[Collection(nameof(RunsAlone))]
public sealed class LoadTests(ITestOutputHelper output)
{
    private const string Count = "http_server_request_duration_seconds_count";
    private const int RequestsPerRoute = 1000;
    private const int Clients = 16;
    private const int Scrapers = 4;

    private static readonly (string Method, string Template, Func<int, string> Url)[] Routes =
    [
        ("GET", "/items/{id:int}", i => $"/items/{i}"),
        ("GET", "/search", i => $"/search?q=term{i}"),
        ("POST", "/orders", _ => "/orders"),
        ("PUT", "/orders/{id}/lines/{line}", i => $"/orders/o{i}/lines/{i % 7}"),
    ];

    [Fact]
    public async Task Metrics_ConcurrentRequestsAndFourScrapers_EveryScrapeValidAndCountsExact()
    {
        using var errors = new LibraryErrors();
        await using var app = await LoopbackApp.StartAsync(
            o => o.MetricsEndpoint.ResponseCacheDuration = TimeSpan.Zero, // every scrape collects: the most contention
            a =>
            {
                a.MapGet("/items/{id:int}", (int id) => Results.Ok(id));
                a.MapGet("/search", (string? q) => Results.Ok(q?.Length ?? 0));
                a.MapPost("/orders", () => Results.Created("/orders/1", null));
                a.MapPut("/orders/{id}/lines/{line}", (string id, string line) => Results.NoContent());
            },
            errors.Logger);
        var baseUri = LoopbackApp.BaseUri(app);
        using var http = new HttpClient { BaseAddress = baseUri };

        var work = new ConcurrentQueue<(HttpMethod Method, string Url)>(
            Enumerable.Range(0, RequestsPerRoute).SelectMany(i => Routes.Select(r => (new HttpMethod(r.Method), r.Url(i)))));
        var failures = new ConcurrentQueue<string>();
        using var loadDone = new CancellationTokenSource();
        var scrapes = new ConcurrentQueue<(int Scraper, int Sequence, string Body)>();

        var scrapers = Enumerable.Range(0, Scrapers).Select(s => Task.Run(async () =>
        {
            var sequence = 0;
            while (!loadDone.IsCancellationRequested)
            {
                using var response = await http.GetAsync(new Uri("/metrics", UriKind.Relative));
                var body = await response.Content.ReadAsStringAsync();
                if (!response.IsSuccessStatusCode)
                {
                    failures.Enqueue($"scrape {s}/{sequence}: {(int)response.StatusCode}");
                }

                scrapes.Enqueue((s, sequence++, body));
                await Task.Delay(20); // a tight loop, yet not hundreds of scrapes for promtool to read afterwards
            }
        })).ToArray();

        var clients = Enumerable.Range(0, Clients).Select(_ => Task.Run(async () =>
        {
            while (work.TryDequeue(out var request))
            {
                using var message = new HttpRequestMessage(request.Method, request.Url);
                using var response = await http.SendAsync(message);
                if (!response.IsSuccessStatusCode)
                {
                    failures.Enqueue($"{request.Method} {request.Url}: {(int)response.StatusCode}");
                }
            }
        })).ToArray();

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await Task.WhenAll(clients);
        var loadTime = clock.Elapsed;
        await loadDone.CancelAsync();
        await Task.WhenAll(scrapers);

        // A duration is recorded when the server finishes the request, which may be just after the client has
        // its response: poll until every request is counted, then check none is counted twice.
        var final = await Eventually.UntilAsync(
            async () => Exposition.Samples(await http.GetStringAsync(new Uri("/metrics", UriKind.Relative))),
            samples => Routes.All(r => Exposition.Sum(samples, Count, ("http_route", r.Template)) >= RequestsPerRoute),
            TimeSpan.FromSeconds(60),
            "every request to be counted");

        Assert.Empty(failures);
        foreach (var route in Routes)
        {
            Assert.Equal(RequestsPerRoute, Exposition.Sum(final, Count, ("http_route", route.Template), ("http_request_method", route.Method)));
            Assert.Equal(RequestsPerRoute, Exposition.Sum(final, Count, ("http_route", route.Template)));
        }

        // Each scraper saw counts that never went down: no measurement lost and found again between collections.
        foreach (var scraper in scrapes.GroupBy(s => s.Scraper))
        {
            var previous = 0.0;
            foreach (var scrape in scraper.OrderBy(s => s.Sequence))
            {
                var total = Routes.Sum(r => Exposition.Sum(Exposition.Samples(scrape.Body), Count, ("http_route", r.Template)));
                Assert.True(total >= previous, $"scraper {scraper.Key} scrape {scrape.Sequence}: {total} requests after {previous}");
                previous = total;
            }
        }

        // Every scrape, taken while the others were collecting, is a complete and valid exposition.
        var all = scrapes.ToArray();
        output.WriteLine($"{Routes.Length * RequestsPerRoute} requests from {Clients} clients in {loadTime.TotalSeconds:F1} s, {all.Length} scrapes from {Scrapers} scrapers, largest {all.Max(s => s.Body.Length).ToString(CultureInfo.InvariantCulture)} chars");
        Assert.True(all.Length >= Scrapers, $"only {all.Length} scrapes");
        await Parallel.ForEachAsync(all, new ParallelOptions { MaxDegreeOfParallelism = 2 }, async (scrape, _) =>
        {
            Assert.True(scrape.Body.Split('\n').Count(l => l == "# TYPE http_server_request_duration_seconds histogram") <= 1, "one family, never two");
            var findings = await PromtoolLint.FindingsAsync(scrape.Body);
            Assert.True(findings.Count == 0, $"scraper {scrape.Scraper} scrape {scrape.Sequence}: {string.Join("\n", findings)}");
        });

        output.WriteLine($"promtool checked every scrape; {clock.Elapsed.TotalSeconds:F1} s in all");
        Assert.Empty(errors.Events);
        Assert.Empty(errors.Logs);
    }
}
