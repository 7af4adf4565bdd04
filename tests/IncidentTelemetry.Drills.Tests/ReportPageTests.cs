using System.Text.RegularExpressions;
using IncidentDrill;
using IncidentDrill.Drills;
using IncidentDrill.Report;

namespace IncidentTelemetry.Drills.Tests;

/// <summary>
/// The report page and the progress lines, without running a drill: rendered from a result made here, and
/// the browser check shown to catch what it is meant to catch.
/// </summary>
public sealed partial class ReportPageTests
{
    [Theory]
    [InlineData("w49-1", "Sentinel")]
    [InlineData("w49-2", "missing index")]
    [InlineData("w50-1", "connection")]
    [InlineData("w50-2", "memory")]
    [InlineData("w50-3", "campaign")]
    public void IncidentParagraph_IncidentsDoc_TheParagraphUnderTheDrillsHeading(string drill, string word)
    {
        var paragraph = HtmlReport.IncidentParagraph(File.ReadAllText(Repository.File("docs", "incidents.md")), drill);

        Assert.NotNull(paragraph);
        Assert.Contains(word, paragraph, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("##", paragraph, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_FailedDrill_SummaryVerdictTimesRunbookChartAndUnexpectedAlert()
    {
        var html = Page(out _);

        Assert.Contains("<title>Incident drills: 0 of 1 passed</title>", html, StringComparison.Ordinal);
        Assert.Contains("<a href=\"#w50-1\">w50-1</a>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"fail\">FAIL</span>", html, StringComparison.Ordinal);
        Assert.Contains("The payment-service used up", html, StringComparison.Ordinal);
        Assert.Contains("<td>+3 s</td><td>+13 s</td>", html, StringComparison.Ordinal);
        Assert.Contains("<code>severity=warning</code>", html, StringComparison.Ordinal);
        Assert.Contains("href=\"https://example.test/runbooks/ConnectionPoolUtilisationHigh.md\"", html, StringComparison.Ordinal);
        Assert.Contains("<b>Database pools</b>: Connection pool utilisation, Pending requests", html, StringComparison.Ordinal);
        Assert.Contains("<img src=\"charts/w50-1-ConnectionPoolUtilisationHigh.png\" width=\"900\" height=\"340\"", html, StringComparison.Ordinal);
        Assert.Contains("RedisMemoryHigh fired, but is unrelated to this incident", html, StringComparison.Ordinal);
        Assert.Contains("TrafficSpike did not fire", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script src", html, StringComparison.Ordinal);
        Assert.DoesNotContain(External().Matches(html), m => !m.Value.Contains("example.test", StringComparison.Ordinal));
    }

    [Fact]
    public async Task HeadlessChromium_PageWithBrokenImageAndScriptError_BothCaught()
    {
        using var directory = new TempDirectory("it-report-");
        var html = Page(out var chart).Replace("</body>", "<script>undefinedFunction();</script></body>", StringComparison.Ordinal);
        Directory.CreateDirectory(directory.Combine("charts"));
        var page = directory.Combine("report.html");
        await File.WriteAllTextAsync(page, html);
        // The chart is missing, so the page must count 0 of 1 loaded and chromium must log the script error.

        var (dom, console) = await HeadlessChromium.LoadAsync(page);

        Assert.Contains("data-images=\"1\"", dom, StringComparison.Ordinal);
        Assert.Contains("data-images-loaded=\"0\"", dom, StringComparison.Ordinal);
        Assert.Contains(console, l => l.Contains("undefinedFunction", StringComparison.Ordinal));
        Assert.NotNull(chart);
    }

    [Fact]
    public void PlainProgress_PhasesAndAlerts_OneLineEachWithDrillPhaseTimesAndAlertsSeen()
    {
        using var output = new StringWriter();
        var progress = new PlainProgress(output);

        progress.StartDrill(2, 5, new PaymentPoolExhaustion(), TimeSpan.FromMinutes(3));
        progress.Phase("baseline", TimeSpan.FromMinutes(2));
        progress.Phase("incident", TimeSpan.FromMinutes(3));
        progress.Alert("TrafficSpike{service=payment-service}", "pending");
        progress.Alert("TrafficSpike{service=payment-service}", "firing");
        progress.Phase("charts", null);

        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("progress: drill 2/5 w50-1 Payment service database connection pool exhaustion · starting 00:00 · drill 00:00 of ~03:00", lines[0], StringComparison.Ordinal);
        Assert.Contains("· baseline 00:00 of 02:00 ·", lines[1], StringComparison.Ordinal);
        Assert.Contains("· incident 00:00 of at most 03:00 ·", lines[2], StringComparison.Ordinal);
        Assert.EndsWith("alerts seen: none", lines[2].TrimEnd(), StringComparison.Ordinal);
        Assert.Matches(@"· charts 00:00 · .* alerts seen: TrafficSpike firing \+0s$", lines[3].TrimEnd());
    }

    [Fact]
    public void Render_DrillWithImpact_TimelineInRealAndUnscaledTimeAndLeadTime()
    {
        // Incident at 127 s, ConnectionPoolUtilisationHigh fired at 140 s (+13 s), impact at 152 s (+25 s).
        var html = HtmlReport.Render("charts", [Result(out _) with { ImpactAt = TimeSpan.FromSeconds(152) }], "dashboards: fine", [], string.Empty, DateTimeOffset.UtcNow);

        Assert.Contains("time scale 30", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>build-up began</td><td>+0 s</td><td>0 min</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td>ConnectionPoolUtilisationHigh fired</td><td>+13 s</td><td>6.5 min</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"impact\"><td>impact: the first checkout times out on the pool</td><td>+25 s</td><td>12.5 min</td></tr>", html, StringComparison.Ordinal);
        Assert.Contains("<b>Lead time</b> (impact − first alert): 12 s before impact (6 min unscaled): ConnectionPoolUtilisationHigh first", html, StringComparison.Ordinal);
        Assert.Contains("<td>12 s before impact (6 min unscaled)</td>", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_ImpactNotReached_SaysSoAndShowsNoLeadTime()
    {
        var html = HtmlReport.Render("charts", [Result(out _)], "dashboards: fine", [], string.Empty, DateTimeOffset.UtcNow);

        Assert.Contains("<td colspan=\"2\">not reached while the drill ran</td>", html, StringComparison.Ordinal);
        Assert.Contains("none: impact was not reached while the drill ran (ConnectionPoolUtilisationHigh fired first)", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_AlertAfterImpact_PlainOutputShowsEveryMomentAndANegativeLeadTime()
    {
        // Impact at 135 s (+8 s), before the alert at 140 s (+13 s): the alert came 5 s (2.5 unscaled minutes) late.
        var summary = (Result(out _) with { ImpactAt = TimeSpan.FromSeconds(135) }).Summary();

        Assert.Contains("build-up began at 02:07 (times after it: real, and unscaled at time scale 30)", summary, StringComparison.Ordinal);
        Assert.Matches(@"ConnectionPoolUtilisationHigh +fired at 02:20 \+13 s \(6\.5 min unscaled\)", summary);
        Assert.Matches(@"impact: the first checkout times out on the pool +at 02:15 \+8 s \(4 min unscaled\)", summary);
        Assert.Matches(@"lead time +5 s after impact \(2\.5 min unscaled\): ConnectionPoolUtilisationHigh first", summary);
    }

    [Fact]
    public void PlainProgress_Impact_LineShowsItAfterTheBuildUpInRealAndUnscaledTime()
    {
        using var output = new StringWriter();
        var progress = new PlainProgress(output);

        progress.StartDrill(1, 5, new PaymentPoolExhaustion(), TimeSpan.FromMinutes(3));
        progress.Phase("incident", TimeSpan.FromMinutes(3));
        progress.Impact();

        var last = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries)[^1].TrimEnd();
        Assert.Matches(@"alerts seen: none · impact \+0s \(0 min unscaled\)$", last);
    }

    [Theory]
    [InlineData(100, 130, 30)]
    [InlineData(130, 100, -30)]
    public void LeadTimeOf_AlertAndImpact_ImpactMinusFirstAlert(int alertSeconds, int impactSeconds, int expected)
    {
        Assert.Equal(TimeSpan.FromSeconds(expected), LeadTime.Of(TimeSpan.FromSeconds(alertSeconds), TimeSpan.FromSeconds(impactSeconds)));
        Assert.Null(LeadTime.Of(TimeSpan.FromSeconds(alertSeconds), null));
    }

    [Fact]
    public void Render_UnderVmalert_VerdictDisagreementsAndValueDifferences()
    {
        var vmalert = new VmalertVerdict(
            new Dictionary<string, TimeSpan> { ["ConnectionPoolUtilisationHigh"] = TimeSpan.FromSeconds(142) },
            ["TrafficSpike"], [], [], [],
            [new ValueDifference("job:http_server_requests:rate1m", "recorded", 120, 0.012, 0.081)],
            null);
        var html = HtmlReport.Render("charts", [Result(out _) with { Vmalert = vmalert }], "dashboards: fine", [], string.Empty, DateTimeOffset.UtcNow);

        Assert.Contains("<span class=\"fail\">it disagrees</span>", html, StringComparison.Ordinal);
        Assert.Contains("<li>TrafficSpike did not fire under vmalert</li>", html, StringComparison.Ordinal);
        Assert.Contains("<tr><td><code>job:http_server_requests:rate1m</code></td><td>recorded</td><td>120</td><td>1.2 %</td><td>8.1 %</td></tr>", html, StringComparison.Ordinal);
    }

    private static string Page(out ChartRecord chart)
    {
        var incidents = "## w50-1 · Payment pool\n\nThe payment-service used up\nits pool.\n\n## w50-2 · other\n";
        return HtmlReport.Render("charts", [Result(out chart)], "dashboards: fine", [], incidents, DateTimeOffset.UtcNow);
    }

    private static DrillResult Result(out ChartRecord chart)
    {
        var drill = new PaymentPoolExhaustion();
        chart = new ChartRecord("w50-1-ConnectionPoolUtilisationHigh.png", 900, 340, "usage", 0, 100, 1, 1, 100, 1, "w50-1-ConnectionPoolUtilisationHigh.json", 0.75, null, 0);
        var alert = new AlertEvidence(
            "ConnectionPoolUtilisationHigh", "payment-service", "usage > 0.75", WatchedSeries.Of("usage > 0.75"), 3, 13,
            [new AlertInterval("pending", 3, 12), new AlertInterval("firing", 13, 20)],
            new Dictionary<string, string> { ["alertname"] = "ConnectionPoolUtilisationHigh", ["service"] = "payment-service", ["severity"] = "warning" },
            "https://example.test/runbooks/ConnectionPoolUtilisationHigh.md",
            ["Database pools › Connection pool utilisation", "Database pools › Pending requests"], chart, null);
        var now = DateTimeOffset.UtcNow;
        var result = new DrillResult(
            drill,
            new Dictionary<string, TimeSpan> { ["ConnectionPoolUtilisationHigh"] = TimeSpan.FromSeconds(140), ["RedisMemoryHigh"] = TimeSpan.FromSeconds(150) },
            ["TrafficSpike"], ["RedisMemoryHigh"], [], [], [], TimeSpan.FromSeconds(127), null)
        {
            Evidence = new DrillEvidence(now.AddSeconds(-150), now.AddSeconds(-20), now, "w50-1-rules.json", [alert], TimeSpan.FromSeconds(0.4)),
            Duration = TimeSpan.FromSeconds(150),
        };
        return result;
    }

    /// <summary>Anything the page would fetch or link to outside its folder.</summary>
    [GeneratedRegex("(?:src|href)=\"(?:https?:)?//[^\"]*\"")]
    private static partial Regex External();
}
