using System.Diagnostics.Metrics;
using System.Net.Sockets;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IncidentTelemetry.Tests.Prometheus;

/// <summary>Scrapers that go away half-way, and scrapes while the host shuts down: the app keeps serving.</summary>
[Collection(nameof(RunsAlone))] // asserts the library reported nothing: the process-wide event source must hear only this test
public sealed class ScrapeFaultTests(Xunit.Abstractions.ITestOutputHelper output)
{
    [Fact]
    public async Task Get_ScraperAbortsHalfway_AppServesAndNextScrapeAnswers()
    {
        using var errors = new LibraryErrors();

        // A few megabytes of exposition, so that the response is still being written when the scraper leaves.
        using var meter = new Meter(ExporterHarness.UniqueMeterName("big"));
        var counter = meter.CreateCounter<long>("shop.big", null, "Many series.");
        await using var app = await LoopbackApp.StartAsync(
            o =>
            {
                o.AdditionalMeters.Add(meter.Name);
                o.MetricsEndpoint.ResponseCacheDuration = TimeSpan.Zero;
            },
            a => a.MapGet("/hello", () => "hello"),
            errors.Logger);
        for (var i = 0; i < 1900; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("item", $"item-{i}-{new string('x', 1000)}"));
        }

        var uri = LoopbackApp.BaseUri(app);
        for (var attempt = 0; attempt < 5; attempt++)
        {
            using var client = new TcpClient();
            await client.ConnectAsync(IPAddress.Loopback, uri.Port);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("GET /metrics HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n"));
            var received = await stream.ReadAtLeastAsync(new byte[16 * 1024], 16 * 1024, throwOnEndOfStream: false);
            Assert.True(received > 0, "the scrape started");
            client.Client.LingerState = new LingerOption(true, 0); // a reset, as a scraper that times out
            client.Close();
        }

        using var http = new HttpClient();
        using var hello = await http.GetAsync(new Uri(uri, "/hello"));
        var next = await http.GetStringAsync(new Uri(uri, "/metrics"));

        Assert.Equal(HttpStatusCode.OK, hello.StatusCode);
        Assert.True(next.Length > 1_900_000, $"next scrape complete ({next.Length} chars)");
        Assert.EndsWith("\n", next, StringComparison.Ordinal);
        Assert.Equal(1900, Exposition.SeriesCount(Exposition.Samples(next), "shop_big_total"));
        Assert.Empty(await PromtoolLint.FindingsAsync(next));
        Assert.Empty(errors.Events);
        Assert.DoesNotContain(errors.Logs, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task StopAsync_ScrapesInFlight_EachAnsweredOrRefusedAndStopCompletes(bool managementPort)
    {
        using var errors = new LibraryErrors();
        var port = LoopbackPorts.GetFree();
        var app = await LoopbackApp.StartAsync(
            o =>
            {
                o.MetricsEndpoint.ResponseCacheDuration = TimeSpan.Zero;
                if (managementPort)
                {
                    o.MetricsEndpoint.Port = port;
                }
            },
            a => a.MapGet("/hello", () => Results.Ok("hello")),
            errors.Logger);
        var metricsUri = managementPort ? new Uri($"http://127.0.0.1:{port}/metrics") : new Uri(LoopbackApp.BaseUri(app), "/metrics");
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        (await http.GetAsync(new Uri(LoopbackApp.BaseUri(app), "/hello"))).Dispose();

        using var stop = new CancellationTokenSource();
        var answered = new List<string>();
        var refused = 0;
        var scrapers = Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            while (!stop.IsCancellationRequested)
            {
                try
                {
                    using var response = await http.GetAsync(metricsUri);
                    var body = await response.Content.ReadAsStringAsync();
                    lock (answered)
                    {
                        answered.Add($"{(int)response.StatusCode}\n{body}");
                    }
                }
                catch (HttpRequestException)
                {
                    Interlocked.Increment(ref refused); // the listener is gone: a clean refusal, never a half body
                }

                await Task.Delay(50); // scrape hard, yet leave few enough answers for promtool to read them all
            }
        })).ToArray();

        await Eventually.UntilAsync(() => Task.FromResult(answered.Count), n => n >= 4, TimeSpan.FromSeconds(60), "scrapes before the stop");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        await app.StopAsync();
        var stopped = clock.Elapsed;
        await app.DisposeAsync();
        output.WriteLine($"stop {stopped.TotalSeconds:F1} s, dispose {(clock.Elapsed - stopped).TotalSeconds:F1} s");
        // The scrapers meet the closed port: wait for the first refusal rather than a fixed pause.
        await Eventually.UntilAsync(() => Task.FromResult(Volatile.Read(ref refused)), n => n > 0, TimeSpan.FromSeconds(30), "a scrape refused after the stop");
        await stop.CancelAsync();
        await Task.WhenAll(scrapers);

        output.WriteLine($"{answered.Count} answered, {refused} refused");
        string[] bodies;
        lock (answered)
        {
            bodies = [.. answered];
        }

        // Every answer was a complete, valid exposition (a 503 while the server drains is allowed, a broken body is not).
        foreach (var answer in bodies.Where(a => a.StartsWith("200\n", StringComparison.Ordinal)))
        {
            Assert.Empty(await PromtoolLint.FindingsAsync(answer[4..]));
        }

        Assert.All(bodies, a => Assert.True(a.StartsWith("200\n", StringComparison.Ordinal) || a.StartsWith("503\n", StringComparison.Ordinal), a[..Math.Min(200, a.Length)]));
        Assert.True(refused > 0, "scrapes after the stop are refused");
        Assert.Empty(errors.Events);
        Assert.DoesNotContain(errors.Logs, l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal));

        // The port is released: another server can take it at once.
        if (managementPort)
        {
            using var listener = new TcpListener(IPAddress.Loopback, port);
            listener.Start();
        }
    }
}
