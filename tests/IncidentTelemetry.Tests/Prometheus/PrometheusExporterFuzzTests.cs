using System.Diagnostics.Metrics;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using OpenTelemetry.Metrics;
using Xunit.Abstractions;

namespace IncidentTelemetry.Tests.Prometheus;

/// <summary>
/// Property: whatever names, units, descriptions, meter names and versions, attribute keys and values an
/// app (or an attacker who controls one of them) produces, every exposition OpenTelemetry's Prometheus exporter writes parses,
/// in the Prometheus text format (promtool check metrics) and in OpenMetrics (promtool's OpenMetrics
/// parser, through tsdb create-blocks-from openmetrics). Many random instruments share one scrape, so one
/// promtool run checks a whole batch of cases.
/// </summary>
public sealed class PrometheusExporterFuzzTests(ITestOutputHelper output) : IDisposable
{
    private const int Rounds = 8;
    private const int MetersPerRound = 3;
    private const int InstrumentsPerMeter = 14;

    // Characters that have a meaning in the exposition formats, whitespace, a NUL, lone and paired surrogates.
    private static readonly string[] HostilePieces =
    [
        "\"", "\\", "\n", "\r", "\t", "#", "{", "}", "=", ",", " ", "\0", "\uD800", "\uDC00", "\uDBFF", "😀", "é", "ß", "Ω",
        "# EOF", "# TYPE x counter", "} 1\n", "le=\"+Inf\"", "\\n", "\\\"", "_total", "NaN", "a", "b", "z", "0", "9", ".", "-", "/", ":", "_",
    ];

    // Attribute keys that collide once sanitised (a.b, a-b, a_b), that collide with the labels the exporter
    // writes itself (le, otel_scope_name), or that are not Prometheus label names at all. "__name__" is left out: the
    // package writes it as the reserved label (see Scrape_AttributesCollidingAsLabels_...).
    private static readonly string[] CollidingKeys =
        ["a.b", "a-b", "a_b", "a/b", "le", "otel_scope_name", "otel.scope.name", "otel_scope_version", "1st", "", " ", "quantile", "service.name"];

    private readonly TempDirectory directory = new("it-rel-fuzz-");

    public void Dispose() => this.directory.Dispose();

    [Fact]
    public async Task Scrape_RandomHostileNamesAndValues_EveryOutputParsesAsTextAndOpenMetrics()
    {
        var seed = int.TryParse(Environment.GetEnvironmentVariable("IT_FUZZ_SEED"), CultureInfo.InvariantCulture, out var given) ? given : 20241203;
        output.WriteLine($"seed {seed} (set IT_FUZZ_SEED to replay another)");
        var random = new Random(seed);
        var series = 0;
        for (var round = 0; round < Rounds; round++)
        {
            var meters = Enumerable.Range(0, MetersPerRound).Select(m => new Meter(MeterName(random, round, m), random.Next(3) == 0 ? null : Hostile(random, 12))).ToList();
            try
            {
                var gauges = new List<Func<double>>();
                using var harness = new ExporterHarness(meters);
                foreach (var meter in meters)
                {
                    for (var i = 0; i < InstrumentsPerMeter; i++)
                    {
                        Record(random, meter, InstrumentName(random, i), Unit(random), Hostile(random, 40));
                    }
                }

                var text = await harness.ScrapeAsync(openMetrics: false);
                var openMetrics = await harness.ScrapeAsync(openMetrics: true);
                series += Exposition.Samples(text).Count;

                // The hostile meters really reached the exposition: their escaped names are there.
                Assert.True(meters.All(m => Exposition.Samples(text).Any(s => s.Labels.TryGetValue("otel_scope_name", out var scope) && scope == Utf8RoundTrip(m.Name))), "every meter's points are exported");

                await AssertTextParsesAsync(text, round);
                await this.AssertOpenMetricsParsesAsync(openMetrics, round);
            }
            finally
            {
                meters.ForEach(m => m.Dispose());
            }
        }

        output.WriteLine($"{Rounds} rounds, {Rounds * MetersPerRound * InstrumentsPerMeter} random instruments, {series} sample lines, all parsed in both formats");
    }

    /// <summary>
    /// Where OpenTelemetry.Exporter.Prometheus.AspNetCore 1.20.1-beta.1 is lossy or invalid (docs/security.md): an
    /// attribute <c>otel.scope.name</c> is joined into the scope label, and an attribute <c>__name__</c> is written as the
    /// reserved label, which promtool rejects. Keys that collide once sanitised are joined by ';', <c>le</c> is dropped.
    /// The library's own instruments use none of these keys (<see cref="Scrape_LibraryInstruments_UseNoKeyThePackageMishandles"/>).
    /// If this test fails after a package update, the package changed its behaviour: update docs/security.md.
    /// </summary>
    [Fact]
    public async Task Scrape_AttributesCollidingAsLabels_PackageJoinsSanitisedKeysAndPassesReservedOnes()
    {
        using var meter = new Meter(ExporterHarness.UniqueMeterName("collide"));
        var histogram = meter.CreateHistogram<double>("shop.collide", "s");
        using var harness = new ExporterHarness([meter]);
        histogram.Record(0.2, new("a.b", "dot"), new("a_b", "underscore"), new("le", "9"), new("otel.scope.name", "fake"), new("__name__", "evil"));

        var text = await harness.ScrapeAsync();
        var count = Assert.Single(Exposition.Samples(text), s => s.Name == "shop_collide_seconds_count");

        Assert.Equal("dot;underscore", count.Labels["a_b"]);
        Assert.False(count.Labels.ContainsKey("le"));
        Assert.Equal("fake;" + meter.Name, count.Labels["otel_scope_name"]); // lossy: the scope label is no longer the meter
        Assert.Equal("evil", count.Labels["__name__"]); // invalid: a reserved label name
        var lint = await PromtoolLint.FindingsAsync(text);
        Assert.Contains(lint, f => f.Contains("\"__name__\" is reserved", StringComparison.Ordinal));
    }

    /// <summary>The library never produces what the package mishandles: no attribute key of its own instruments is reserved or collides.</summary>
    [Fact]
    public async Task Scrape_LibraryInstruments_UseNoKeyThePackageMishandles()
    {
        await using var app = await LoopbackApp.StartAsync(_ => { }, a => a.MapGet("/hello", () => "hi"));
        using var http = new HttpClient { BaseAddress = LoopbackApp.BaseUri(app) };
        await http.GetStringAsync(new Uri("/hello", UriKind.Relative));
        var text = await http.GetStringAsync(new Uri("/metrics", UriKind.Relative));

        var labels = Exposition.Samples(text).SelectMany(s => s.Labels.Keys).ToHashSet();
        Assert.Contains("otel_scope_name", labels);
        Assert.DoesNotContain(labels, l => l.StartsWith("__", StringComparison.Ordinal));
        Assert.DoesNotContain(Exposition.Samples(text), s => s.Labels.TryGetValue("otel_scope_name", out var scope) && scope.Contains(';', StringComparison.Ordinal));
        Assert.Empty(await PromtoolLint.FindingsAsync(text));
    }

    private static void Record(Random random, Meter meter, string name, string? unit, string description)
    {
        switch (random.Next(6))
        {
            case 0:
                var longCounter = meter.CreateCounter<long>(name, unit, description);
                Repeat(random, () => longCounter.Add(random.Next(0, 1000), Tags(random)));
                break;
            case 1:
                var doubleCounter = meter.CreateCounter<double>(name, unit, description);
                Repeat(random, () => doubleCounter.Add(random.Next(4) == 0 ? 1e300 : random.NextDouble() * 1e6, Tags(random)));
                break;
            case 2:
                var upDown = meter.CreateUpDownCounter<long>(name, unit, description);
                Repeat(random, () => upDown.Add(random.Next(2) == 0 ? long.MinValue / 4 : random.Next(-1000, 1000), Tags(random)));
                break;
            case 3:
                var histogram = meter.CreateHistogram<double>(name, unit, description);
                Repeat(random, () => histogram.Record(HugeOrTiny(random), Tags(random)));
                break;
            case 4:
                var gaugeValue = ExtremeDouble(random);
                var gaugeTags = Tags(random);
                meter.CreateObservableGauge(name, () => new Measurement<double>(gaugeValue, gaugeTags), unit, description);
                break;
            default:
                var gauge = meter.CreateGauge<long>(name, unit, description);
                Repeat(random, () => gauge.Record(random.Next(2) == 0 ? long.MaxValue : -random.Next(), Tags(random)));
                break;
        }
    }

    private static void Repeat(Random random, Action record)
    {
        var times = random.Next(1, 5);
        for (var i = 0; i < times; i++)
        {
            record();
        }
    }

    private static KeyValuePair<string, object?>[] Tags(Random random)
    {
        var count = random.Next(0, 5);
        var tags = new Dictionary<string, object?>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var key = random.Next(2) == 0 ? CollidingKeys[random.Next(CollidingKeys.Length)] : Hostile(random, 10);
            tags[key] = TagValue(random);
        }

        return [.. tags];
    }

    private static object? TagValue(Random random) => random.Next(10) switch
    {
        0 => random.Next(),
        1 => double.NaN,
        2 => random.Next(2) == 0 ? double.PositiveInfinity : -0.0,
        3 => random.Next(2) == 0,
        4 => new string('"', 3) + new string('\\', 3) + new string('x', random.Next(20_000, 70_000)), // huge
        5 => null,
        _ => Hostile(random, 30),
    };

    private static double HugeOrTiny(Random random) => random.Next(5) switch
    {
        0 => double.MaxValue / 2,
        1 => double.Epsilon,
        2 => -1e300,
        _ => random.NextDouble() * 10,
    };

    private static double ExtremeDouble(Random random) => random.Next(7) switch
    {
        0 => double.NaN,
        1 => double.PositiveInfinity,
        2 => double.NegativeInfinity,
        3 => -0.0,
        4 => double.MaxValue,
        5 => double.Epsilon,
        _ => random.NextDouble(),
    };

    private static string Hostile(Random random, int maxPieces)
    {
        var builder = new StringBuilder();
        var pieces = random.Next(0, maxPieces + 1);
        for (var i = 0; i < pieces; i++)
        {
            builder.Append(HostilePieces[random.Next(HostilePieces.Length)]);
        }

        return builder.ToString();
    }

    /// <summary>A meter name any app could choose: unique per test, then anything at all.</summary>
    private static string MeterName(Random random, int round, int index)
        => $"IncidentTelemetry.Fuzz.{Guid.NewGuid():N}.{round}.{index}{Hostile(random, 15)}";

    /// <summary>
    /// Instrument names as OpenTelemetry accepts them (a letter, then letters of any script, digits, '.', '_',
    /// '-', '/'); the SDK drops others before they reach the exporter. Duplicates within a meter are allowed.
    /// </summary>
    private static string InstrumentName(Random random, int index)
    {
        const string tail = "abcxyzABZ019._-/éßΩ";
        var builder = new StringBuilder(random.Next(2) == 0 ? "a" : "Z");
        var length = random.Next(0, 20);
        for (var i = 0; i < length; i++)
        {
            builder.Append(tail[random.Next(tail.Length)]);
        }

        return random.Next(8) == 0 ? "dup" : builder.Append(index.ToString(CultureInfo.InvariantCulture)).ToString();
    }

    /// <summary>UCUM-like units, and ASCII junk (the SDK accepts any ASCII unit of up to 63 characters).</summary>
    private static string? Unit(Random random)
    {
        string[] plausible = ["s", "ms", "By", "{request}", "1", "%", "{packet}/s", "By/s", "/s", "{a}{b}", "}{", "{", "/", "s/", "m/s/h"];
        if (random.Next(3) > 0)
        {
            return random.Next(5) == 0 ? null : plausible[random.Next(plausible.Length)];
        }

        var builder = new StringBuilder();
        const string ascii = "\"\\\n#{} =,/._-:aZ09\t";
        var length = random.Next(0, 20);
        for (var i = 0; i < length; i++)
        {
            builder.Append(ascii[random.Next(ascii.Length)]);
        }

        return builder.ToString();
    }

    /// <summary>What a string reads as after UTF-8 encoding (unpaired surrogates become U+FFFD).</summary>
    private static string Utf8RoundTrip(string value) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));

    private static async Task AssertTextParsesAsync(string text, int round)
    {
        var (_, findings) = await PrometheusTools.CheckMetricsAsync(text);

        // Lint findings about random names (camelCase, missing unit suffix) are expected; a parse error is not.
        Assert.False(findings.Contains("error while linting", StringComparison.Ordinal), $"round {round}: {findings}\n(the seed in the output and this round reproduce it)");
    }

    private async Task AssertOpenMetricsParsesAsync(string openMetrics, int round)
    {
        Assert.EndsWith("\n# EOF\n", openMetrics, StringComparison.Ordinal);

        // The OpenMetrics parser of promtool's backfill wants a timestamp on every sample: add one.
        var stamped = new StringBuilder();
        foreach (var line in openMetrics.Split('\n'))
        {
            if (line.Length == 0)
            {
                continue;
            }

            stamped.Append(line);
            stamped.Append(line[0] == '#' ? "\n" : " 1700000000\n");
        }

        var file = this.directory.Combine($"openmetrics-{round}.txt");
        var blocks = this.directory.Combine($"blocks-{round}");
        await File.WriteAllTextAsync(file, stamped.ToString());
        var (code, result) = await PrometheusTools.PromtoolAsync("tsdb", "create-blocks-from", "openmetrics", file, blocks);

        Assert.True(code == 0, $"round {round}: promtool exited with {code}: {result}\n(the seed in the output and this round reproduce it)");
        Directory.Delete(blocks, recursive: true);
        File.Delete(file);
    }
}
