using System.Diagnostics.Metrics;

namespace IncidentTelemetry.Tests.Prometheus;

public sealed class PrometheusExporterTests
{
    [Fact]
    public async Task ScrapeAsync_RepeatedLargeScrapes_ReuseTheResponseBuffer()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("reuse"));
        var counter = meter.CreateCounter<long>("shop.reuse.requests", "{request}", "Requests.");
        using var harness = new ExporterHarness([meter]);
        for (var i = 0; i < 1500; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("shop.item", i), new KeyValuePair<string, object?>("shop.channel", "web"));
        }

        var size = (await harness.ScrapeAsync()).Length;
        await harness.ScrapeAsync();
        await harness.ScrapeAsync();

        // Uncontended, a scrape runs on this thread: what it allocates here is all it allocates.
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = await harness.Exporter.ScrapeAsync(false, CancellationToken.None);
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        var length = result.Content.Length;
        result.Release();

        Assert.True(size > 100_000, $"the scrape should be large enough to tell, but was {size} characters");
        Assert.True(allocated < length / 20, $"a repeated scrape of {length} bytes allocated {allocated} bytes");
    }

    [Fact]
    public async Task ScrapeAsync_SeriesGrowBetweenScrapes_OutputStillComplete()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("grow"));
        var counter = meter.CreateCounter<long>("shop.grow.requests");
        using var harness = new ExporterHarness([meter]);
        counter.Add(1, new KeyValuePair<string, object?>("shop.item", -1));
        await harness.ScrapeAsync();

        // The buffer is rented at the last scrape's size; a much larger scrape must still grow it.
        for (var i = 0; i < 1500; i++)
        {
            counter.Add(1, new KeyValuePair<string, object?>("shop.item", i));
        }

        var text = await harness.ScrapeAsync();

        Assert.Equal(1501, text.Split('\n').Count(l => l.StartsWith("shop_grow_requests_total{", StringComparison.Ordinal)));
        Assert.Contains("shop_grow_requests_total{shop_item=\"1499\",", text, StringComparison.Ordinal);
    }
}
