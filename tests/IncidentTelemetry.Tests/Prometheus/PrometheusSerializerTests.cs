using System.Diagnostics.Metrics;
using System.Text;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;

namespace IncidentTelemetry.Tests.Prometheus;

public sealed class PrometheusSerializerTests : IDisposable
{
    private readonly TempDirectory directory = new("it-prom-ser-");

    public void Dispose() => this.directory.Dispose();

    [Fact]
    public async Task Scrape_Counter_IsCounterWithTotalAndScopeLabels()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("counter"), "2.5.0");
        var counter = meter.CreateCounter<long>("shop.orders.placed", "{order}", "Orders placed.");
        using var harness = new ExporterHarness([meter]);
        counter.Add(3, new KeyValuePair<string, object?>("shop.channel", "web"));
        counter.Add(4, new KeyValuePair<string, object?>("shop.channel", "web"));

        var text = await harness.ScrapeAsync();

        Assert.Contains("# HELP shop_orders_placed_total Orders placed.\n# TYPE shop_orders_placed_total counter\n", text, StringComparison.Ordinal);
        Assert.Contains($"shop_orders_placed_total{{shop_channel=\"web\",otel_scope_name=\"{meter.Name}\",otel_scope_version=\"2.5.0\"}} 7\n", text, StringComparison.Ordinal);
        Assert.Empty(await PromtoolLint.FindingsAsync(text, this.directory));
    }

    [Fact]
    public async Task Scrape_UpDownCounter_IsGaugeWithoutTotal()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("updown"));
        var inFlight = meter.CreateUpDownCounter<long>("shop.requests.in_flight", "{request}", "Requests in flight.");
        using var harness = new ExporterHarness([meter]);
        inFlight.Add(5);
        inFlight.Add(-2);

        var text = await harness.ScrapeAsync();

        Assert.Contains("# TYPE shop_requests_in_flight gauge\n", text, StringComparison.Ordinal);
        Assert.Contains($"shop_requests_in_flight{{otel_scope_name=\"{meter.Name}\"}} 3\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("shop_requests_in_flight_total", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_Histogram_WritesCumulativeBucketsInfSumAndCount()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("histogram"));
        var duration = meter.CreateHistogram<double>("shop.checkout.duration", "s", "Checkout duration.");
        using var harness = new ExporterHarness([meter], configure: b => b.AddView(duration.Name, new ExplicitBucketHistogramConfiguration { Boundaries = [0.1, 0.5, 1] }));
        foreach (var value in new[] { 0.05, 0.2, 0.3, 0.7, 3.0 })
        {
            duration.Record(value);
        }

        var text = await harness.ScrapeAsync();
        var scope = $"otel_scope_name=\"{meter.Name}\"";

        Assert.Contains("# TYPE shop_checkout_duration_seconds histogram\n", text, StringComparison.Ordinal);
        Assert.Contains(
            $"shop_checkout_duration_seconds_bucket{{{scope},le=\"0.1\"}} 1\n" +
            $"shop_checkout_duration_seconds_bucket{{{scope},le=\"0.5\"}} 3\n" +
            $"shop_checkout_duration_seconds_bucket{{{scope},le=\"1\"}} 4\n" +
            $"shop_checkout_duration_seconds_bucket{{{scope},le=\"+Inf\"}} 5\n" +
            $"shop_checkout_duration_seconds_sum{{{scope}}} 4.25\n" +
            $"shop_checkout_duration_seconds_count{{{scope}}} 5\n",
            text,
            StringComparison.Ordinal);
        Assert.Empty(await PromtoolLint.FindingsAsync(text, this.directory));
    }

    [Fact]
    public async Task Scrape_HistogramWithAttributes_EveryLineCarriesTheSameLabels()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("histlabels"));
        var duration = meter.CreateHistogram<double>("shop.request.duration", "s");
        using var harness = new ExporterHarness([meter], configure: b => b.AddView(duration.Name, new ExplicitBucketHistogramConfiguration { Boundaries = [0.25, 2.5] }));
        duration.Record(0.1, new("http.route", "/items/{id}"), new("http.response.status_code", 503), new("shop.retry", true));
        duration.Record(1.0, new("http.route", "/cart"), new("http.response.status_code", 200L), new("shop.retry", false));

        var text = await harness.ScrapeAsync();
        var labels = $"http_response_status_code=\"503\",http_route=\"/items/{{id}}\",shop_retry=\"true\",otel_scope_name=\"{meter.Name}\"";
        var other = $"http_response_status_code=\"200\",http_route=\"/cart\",shop_retry=\"false\",otel_scope_name=\"{meter.Name}\"";

        Assert.Contains(
            $"shop_request_duration_seconds_bucket{{{labels},le=\"0.25\"}} 1\n" +
            $"shop_request_duration_seconds_bucket{{{labels},le=\"2.5\"}} 1\n" +
            $"shop_request_duration_seconds_bucket{{{labels},le=\"+Inf\"}} 1\n" +
            $"shop_request_duration_seconds_sum{{{labels}}} 0.1\n" +
            $"shop_request_duration_seconds_count{{{labels}}} 1\n",
            text,
            StringComparison.Ordinal);
        Assert.Contains($"shop_request_duration_seconds_bucket{{{other},le=\"0.25\"}} 0\n", text, StringComparison.Ordinal);
        Assert.Contains($"shop_request_duration_seconds_bucket{{{other},le=\"2.5\"}} 1\n", text, StringComparison.Ordinal);
        Assert.Empty(await PromtoolLint.FindingsAsync(text, this.directory));
    }

    [Fact]
    public async Task Scrape_HostileLabelValuesAndHelp_AreEscapedAndStillParse()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("escape"));
        var counter = meter.CreateCounter<long>("shop.hostile", null, "Help with a \\ backslash\nand a new line and \"quotes\" # { }");
        using var harness = new ExporterHarness([meter]);
        counter.Add(1, new KeyValuePair<string, object?>("value", "a\\b \"quoted\"\nline # { } ,x=\"y\""));

        var text = await harness.ScrapeAsync();

        Assert.Contains("# HELP shop_hostile_total Help with a \\\\ backslash\\nand a new line and \"quotes\" # { }\n", text, StringComparison.Ordinal);
        Assert.Contains("{value=\"a\\\\b \\\"quoted\\\"\\nline # { } ,x=\\\"y\\\"\",", text, StringComparison.Ordinal);
        Assert.Empty(await PromtoolLint.FindingsAsync(text, this.directory));
    }

    [Fact]
    public async Task Scrape_LoneSurrogateInLabel_OutputIsValidUtf8()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("utf8"));
        var counter = meter.CreateCounter<long>("shop.utf8");
        using var harness = new ExporterHarness([meter]);
        counter.Add(1, new KeyValuePair<string, object?>("value", "bad \ud800 surrogate, good \u00e9\u4e2d"));

        var result = await harness.Exporter.ScrapeAsync(false, CancellationToken.None);
        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(result.Content.Span);
        }
        finally
        {
            result.Release();
        }

        Assert.Contains("value=\"bad \ufffd surrogate, good \u00e9\u4e2d\"", text, StringComparison.Ordinal);
        Assert.Empty(await PromtoolLint.FindingsAsync(text, this.directory));
    }

    [Fact]
    public async Task Scrape_NaNAndInfinities_UsePrometheusSpelling()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("special"));
        meter.CreateObservableGauge("shop.special", () => new[]
        {
            new Measurement<double>(double.NaN, new KeyValuePair<string, object?>("case", "nan")),
            new Measurement<double>(double.PositiveInfinity, new KeyValuePair<string, object?>("case", "pinf")),
            new Measurement<double>(double.NegativeInfinity, new KeyValuePair<string, object?>("case", "ninf")),
            new Measurement<double>(1e-7, new KeyValuePair<string, object?>("case", "tiny")),
        });
        using var harness = new ExporterHarness([meter]);

        var text = await harness.ScrapeAsync();

        Assert.Contains("case=\"nan\"", text, StringComparison.Ordinal);
        Assert.Matches("shop_special\\{case=\"nan\",[^}]*\\} NaN\n", text);
        Assert.Matches("shop_special\\{case=\"pinf\",[^}]*\\} \\+Inf\n", text);
        Assert.Matches("shop_special\\{case=\"ninf\",[^}]*\\} -Inf\n", text);
        Assert.Matches("shop_special\\{case=\"tiny\",[^}]*\\} 1E-07\n", text);
        Assert.Empty(await PromtoolLint.FindingsAsync(text, this.directory));
    }

    [Fact]
    public async Task Scrape_SameNameFromTwoMeters_OneFamilyTwoScopes()
    {
        using var first = new Meter(ExporterHarness.UniqueMeterName("first"));
        using var second = new Meter(ExporterHarness.UniqueMeterName("second"));
        first.CreateObservableUpDownCounter("db.client.connection.count", () => 3L, "{connection}", "Connections.");
        second.CreateObservableUpDownCounter("db.client.connection.count", () => 4L, "{connection}", "Connections, too.");
        using var harness = new ExporterHarness([first, second]);

        var text = await harness.ScrapeAsync();

        Assert.Single(text.Split('\n'), l => l.StartsWith("# TYPE db_client_connection_count ", StringComparison.Ordinal));
        Assert.Single(text.Split('\n'), l => l.StartsWith("# HELP db_client_connection_count ", StringComparison.Ordinal));
        Assert.Contains($"db_client_connection_count{{otel_scope_name=\"{first.Name}\"}} 3\n", text, StringComparison.Ordinal);
        Assert.Contains($"db_client_connection_count{{otel_scope_name=\"{second.Name}\"}} 4\n", text, StringComparison.Ordinal);
        Assert.Empty(await PromtoolLint.FindingsAsync(text, this.directory));
    }

    [Fact]
    public async Task Scrape_SameNameWithAnotherType_SecondIsDroppedOutputStaysValid()
    {
        using var first = new Meter(ExporterHarness.UniqueMeterName("typeA"));
        using var second = new Meter(ExporterHarness.UniqueMeterName("typeB"));
        first.CreateCounter<long>("shop.clash").Add(1);
        var clashing = second.CreateUpDownCounter<long>("shop.clash_total");
        using var harness = new ExporterHarness([first, second]);
        first.CreateCounter<long>("shop.clash").Add(1);
        clashing.Add(1);

        var text = await harness.ScrapeAsync();

        Assert.Single(text.Split('\n'), l => l.StartsWith("# TYPE shop_clash_total ", StringComparison.Ordinal));
        Assert.DoesNotContain(second.Name, text, StringComparison.Ordinal);
        Assert.Empty(await PromtoolLint.FindingsAsync(text, this.directory));
    }

    [Fact]
    public async Task Scrape_Resource_BecomesTargetInfo()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("resource"));
        using var harness = new ExporterHarness([meter], r => r.AddAttributes([new("service.namespace", "shop")]));

        var text = await harness.ScrapeAsync();

        Assert.StartsWith("# HELP target_info Target metadata\n# TYPE target_info gauge\ntarget_info{", text, StringComparison.Ordinal);
        Assert.Matches("target_info\\{[^}]*service_name=\"test-service\"[^}]*\\} 1\n", text);
        Assert.Matches("target_info\\{[^}]*service_namespace=\"shop\"[^}]*\\} 1\n", text);
    }

    [Fact]
    public async Task Scrape_NoDescription_HelpFallsBackToInstrumentName()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("nohelp"));
        meter.CreateCounter<long>("shop.quiet").Add(1);
        using var harness = new ExporterHarness([meter]);
        meter.CreateCounter<long>("shop.quiet").Add(1);

        var text = await harness.ScrapeAsync();

        Assert.Contains("# HELP shop_quiet_total shop.quiet\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Scrape_OpenMetrics_CounterFamilyWithoutTotalInfoTargetAndEof()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("openmetrics"));
        var counter = meter.CreateCounter<long>("shop.orders.placed", "{order}", "Orders placed.");
        using var harness = new ExporterHarness([meter]);
        counter.Add(2);

        var text = await harness.ScrapeAsync(openMetrics: true);

        Assert.Contains("# TYPE target info\n", text, StringComparison.Ordinal);
        Assert.Contains("# HELP shop_orders_placed Orders placed.\n# TYPE shop_orders_placed counter\n", text, StringComparison.Ordinal);
        Assert.Contains($"shop_orders_placed_total{{otel_scope_name=\"{meter.Name}\"}} 2\n", text, StringComparison.Ordinal);
        Assert.EndsWith("\n# EOF\n", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ScrapeAsync_WithinCacheDuration_CollectsOnce()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("cache"));
        var collections = 0;
        meter.CreateObservableCounter("shop.collections", () => Interlocked.Increment(ref collections));
        using var harness = new ExporterHarness([meter], cache: TimeSpan.FromMinutes(5));

        var scrapes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => harness.ScrapeAsync()));

        Assert.Equal(1, collections);
        Assert.All(scrapes, s => Assert.Equal(scrapes[0], s));
    }

    [Fact]
    public async Task ScrapeAsync_NoCache_EachScrapeCollectsAndCompleteOutputs()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("nocache"));
        var collections = 0;
        meter.CreateObservableCounter("shop.collections", () => Interlocked.Increment(ref collections));
        using var harness = new ExporterHarness([meter], cache: TimeSpan.Zero);

        var scrapes = await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(() => harness.ScrapeAsync())));

        Assert.Equal(16, collections);
        Assert.All(scrapes, s =>
        {
            Assert.StartsWith("# HELP target_info", s, StringComparison.Ordinal);
            Assert.Single(s.Split('\n'), l => l.StartsWith("# TYPE shop_collections_total", StringComparison.Ordinal));
        });
    }
}
