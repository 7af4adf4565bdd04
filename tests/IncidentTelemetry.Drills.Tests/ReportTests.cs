using System.Buffers.Binary;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using IncidentDrill.Report;

namespace IncidentTelemetry.Drills.Tests;

/// <summary>
/// What the run leaves for a person to look at: one chart per expected alert, drawn from the drill's own
/// Prometheus with the threshold of the rule Prometheus loaded, and a report page that a real browser opens
/// without errors, with every chart.
/// </summary>
[Collection(SharedDrillRun.Name)]
public sealed partial class ReportTests(DrillRun run)
{
    private static readonly byte[] PngSignature = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A];

    [Theory]
    [MemberData(nameof(DrillRun.Names), MemberType = typeof(DrillRun))]
    public void Charts_EveryExpectedAlert_PngOfTheExpectedSizeWithDataFromTheDrillsPrometheus(string name)
    {
        var evidence = this.Evidence(name, out var log);
        var from = evidence.GetProperty("from").GetDouble();
        var to = evidence.GetProperty("to").GetDouble();
        foreach (var alert in this.ExpectedAlerts(name, evidence, log))
        {
            var chart = alert.GetProperty("chart");
            var what = $"{name} {alert.GetProperty("name")}";
            var png = Path.Combine(DrillRun.Charts, chart.GetProperty("file").GetString()!);
            var bytes = File.ReadAllBytes(png);
            Assert.True(bytes.AsSpan(0, 8).SequenceEqual(PngSignature), $"{what}: {png} is not a PNG");
            Assert.Equal((AlertChart.Width, AlertChart.Height), (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20))));
            var (drawn, colours) = HeadlessChromium.Ink(png);
            Assert.True(drawn > 0.02 && colours > 8, $"{what}: the chart is nearly empty ({drawn:P1} drawn, {colours} colours)");

            // The chart's data is Prometheus's own answer, kept verbatim: the same points, the same largest value,
            // at times within the drill, for the series the loaded rule compares.
            using var raw = JsonDocument.Parse(File.ReadAllText(Path.Combine(DrillRun.Charts, chart.GetProperty("raw").GetString()!)));
            Assert.Equal("success", raw.RootElement.GetProperty("status").GetString());
            Assert.Equal("matrix", raw.RootElement.GetProperty("data").GetProperty("resultType").GetString());
            var points = raw.RootElement.GetProperty("data").GetProperty("result").EnumerateArray().SelectMany(s => s.GetProperty("values").EnumerateArray()).ToList();
            Assert.True(points.Count > 0, $"{what}: query_range returned {points.Count} points for {chart.GetProperty("query")}\n{log}");
            Assert.Equal(chart.GetProperty("points").GetInt32(), points.Count);
            Assert.All(points, p => Assert.InRange(p[0].GetDouble(), from - 1, to + 1));
            var values = points.Select(p => double.Parse(p[1].GetString()!, CultureInfo.InvariantCulture)).Where(double.IsFinite).ToList();
            Assert.Equal(values.Max(), chart.GetProperty("plottedMax").GetDouble(), 9);
            Assert.Equal(alert.GetProperty("watched").GetProperty("left").GetString(), chart.GetProperty("query").GetString());
            Assert.Contains(chart.GetProperty("query").GetString()!, alert.GetProperty("rule").GetString()!, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(DrillRun.Names), MemberType = typeof(DrillRun))]
    public void Charts_EveryExpectedAlert_ThresholdDrawnIsTheLoadedRulesAndTimesMatchTheWatcher(string name)
    {
        var evidence = this.Evidence(name, out var log);
        using var rules = JsonDocument.Parse(File.ReadAllText(Path.Combine(DrillRun.Charts, evidence.GetProperty("rules").GetString()!)));
        var loaded = rules.RootElement.GetProperty("data").GetProperty("groups").EnumerateArray().SelectMany(g => g.GetProperty("rules").EnumerateArray()).ToList();
        var fired = run.Drill(name).GetProperty("fired");
        foreach (var alert in this.ExpectedAlerts(name, evidence, log))
        {
            var alertName = alert.GetProperty("name").GetString()!;
            var what = $"{name} {alertName}";
            var rule = loaded.Single(r => r.GetProperty("type").GetString() == "alerting" && r.GetProperty("name").GetString() == alertName
                && r.GetProperty("labels").TryGetProperty("service", out var service) && service.GetString() == alert.GetProperty("service").GetString());
            var query = rule.GetProperty("query").GetString()!;
            Assert.Equal(query, alert.GetProperty("rule").GetString());

            // Pending and firing from Prometheus's ALERTS series agree with what the drill's watcher saw.
            var toPending = alert.GetProperty("secondsToPending").GetDouble();
            var toFiring = alert.GetProperty("secondsToFiring").GetDouble();
            Assert.InRange(toPending, 0, toFiring);
            Assert.InRange(toFiring, fired.GetProperty(alertName).GetProperty("secondsAfterIncident").GetInt32() - 3, fired.GetProperty(alertName).GetProperty("secondsAfterIncident").GetInt32() + 3);
            Assert.Contains(alert.GetProperty("intervals").EnumerateArray(), i => i.GetProperty("state").GetString() == "firing");
            Assert.False(string.IsNullOrEmpty(alert.GetProperty("runbook").GetString()), $"{what}: no runbook");

            // What follows the charted series in the loaded rule is its comparison and threshold.
            var chart = alert.GetProperty("chart");
            var left = alert.GetProperty("watched").GetProperty("left").GetString()!;
            if (alert.GetProperty("watched").GetProperty("operator").ValueKind == JsonValueKind.Null)
            {
                // An expression without a comparison (absent(...)) is drawn whole, with no threshold.
                Assert.True(chart.GetProperty("drawnThreshold").ValueKind == JsonValueKind.Null, $"{what}: a threshold drawn for {query}");
                continue;
            }

            var comparison = Comparison().Match(query[(query.IndexOf(left, StringComparison.Ordinal) + left.Length)..]);
            Assert.True(comparison.Success, $"{what}: no comparison after the charted series in {query}");
            if (double.TryParse(comparison.Groups["number"].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var threshold))
            {
                Assert.Equal(threshold, chart.GetProperty("drawnThreshold").GetDouble());
            }
            else
            {
                Assert.True(chart.GetProperty("thresholdPoints").GetInt32() > 0, $"{what}: the threshold series {chart.GetProperty("thresholdQuery")} had no points");
                Assert.Contains(chart.GetProperty("thresholdQuery").GetString()!, query, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Report_OpenedInHeadlessChromium_NoConsoleErrorsEveryChartLoadsScreenshotNotBlank()
    {
        Assert.True(File.Exists(DrillRun.Page), $"no report page (exit code {run.ExitCode}):\n{run.Output}");
        var charts = run.Report!.RootElement.GetProperty("drills").EnumerateArray()
            .Sum(d => d.GetProperty("evidence").ValueKind == JsonValueKind.Object ? d.GetProperty("evidence").GetProperty("alerts").EnumerateArray().Count(a => a.GetProperty("chart").ValueKind == JsonValueKind.Object) : 0);

        var (dom, console) = await HeadlessChromium.LoadAsync(DrillRun.Page);
        var screenshot = Path.Combine(DrillRun.ReportDirectory, "report.png");
        await HeadlessChromium.ScreenshotAsync(DrillRun.Page, screenshot, 1280, 2400);

        Assert.Empty(console);
        Assert.True(charts >= 16, $"only {charts} charts in the report");
        Assert.Contains($"data-images=\"{charts}\"", dom, StringComparison.Ordinal);
        Assert.Contains($"data-images-loaded=\"{charts}\"", dom, StringComparison.Ordinal);
        var (drawn, colours) = HeadlessChromium.Ink(screenshot);
        Assert.True(drawn > 0.05 && colours > 64, $"the screenshot {screenshot} looks blank: {drawn:P1} of it differs from the background, {colours} colours");
    }

    private JsonElement Evidence(string name, out string log)
    {
        log = run.OutputOf(name);
        var evidence = run.Drill(name).GetProperty("evidence");
        Assert.True(evidence.ValueKind == JsonValueKind.Object, $"{name}: no charts were gathered\n{log}");
        return evidence;
    }

    private IEnumerable<JsonElement> ExpectedAlerts(string name, JsonElement evidence, string log)
    {
        var alerts = evidence.GetProperty("alerts").EnumerateArray().ToList();
        foreach (var expected in run.Drill(name).GetProperty("expected").EnumerateArray().Select(e => e.GetString()))
        {
            var alert = alerts.SingleOrDefault(a => a.GetProperty("name").GetString() == expected);
            Assert.True(alert.ValueKind == JsonValueKind.Object, $"{name}: no evidence for {expected}\n{log}");
            Assert.True(alert.GetProperty("problem").ValueKind == JsonValueKind.Null, $"{name} {expected}: {alert.GetProperty("problem")}\n{log}");
            Assert.True(alert.GetProperty("chart").ValueKind == JsonValueKind.Object, $"{name}: no chart for {expected}\n{log}");
            yield return alert;
        }
    }

    // The charted series may have been written in parentheses (a P95 with two branches): they close before the comparison.
    [GeneratedRegex(@"^[\s)]*(?<op>>=|<=|==|!=|>|<)\s*(?:bool\s+)?(?:(?:on|ignoring|group_left|group_right)\s*(?:\([^)]*\))?\s*)*(?<number>-?[0-9][0-9.]*(?:[eE][+-]?[0-9]+)?(?![0-9A-Za-z_:(]))?")]
    private static partial Regex Comparison();
}
