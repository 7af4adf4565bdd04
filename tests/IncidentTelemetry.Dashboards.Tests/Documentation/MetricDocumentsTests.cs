using System.Reflection;
using IncidentTelemetry.Catalogue;
using IncidentTelemetry.Dashboards.Documentation;
using IncidentTelemetry.Rules;

namespace IncidentTelemetry.Dashboards.Tests.Documentation;

public sealed class MetricDocumentsTests
{
    [Fact]
    public void Render_CommittedDocuments_EqualFreshRender()
    {
        var rendered = MetricDocuments.Render(Repository.Root);

        Assert.Equal(4, rendered.Count);
        foreach (var (path, text) in rendered)
        {
            Assert.True(
                File.ReadAllText(Repository.File(path)) == text,
                $"{path} differs from a render of the metric catalogue: run `dotnet run --project src/IncidentTelemetry.Dashboards -c Release -- docs` and commit.");
        }
    }

    [Fact]
    public void Render_MetricsDoc_OneRowPerFamilyAndNoAlertThatIsNotBundled()
    {
        var text = MetricDocuments.Render(Repository.Root).Single(d => d.Path == Path.Combine("docs", "metrics.md")).Text;
        var table = text[text.IndexOf(MetricDocuments.CatalogueBegin, StringComparison.Ordinal)..text.IndexOf(MetricDocuments.CatalogueEnd, StringComparison.Ordinal)];
        var rows = table.Split('\n').Where(l => l.StartsWith("| `", StringComparison.Ordinal)).ToList();

        Assert.Equal(MetricCatalogue.All.Select(f => $"| `{f.Name}` |"), rows.Select(r => r[..(r.IndexOf('|', 2) + 1)]));

        // Every CamelCase word in the "used by" column is a bundled alert (the table once named two deleted ones).
        var bundled = BundledAlerts();
        var named = rows.SelectMany(r => r[(r.LastIndexOf("| ", r.Length - 2, StringComparison.Ordinal) + 2)..].Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries))
            .Where(w => w.Length > 1 && char.IsUpper(w[0]) && w.Skip(1).Any(char.IsUpper))
            .ToHashSet(StringComparer.Ordinal);
        Assert.NotEmpty(named);
        Assert.Empty(named.Except(bundled));
    }

    [Fact]
    public void Compute_EveryBundledAlert_ReadsACatalogueFamily()
    {
        var usage = MetricUsage.Compute();

        var reading = usage.Alerts.Values.SelectMany(a => a).ToHashSet(StringComparer.Ordinal);
        Assert.Equal(BundledAlerts().Order(StringComparer.Ordinal), reading.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Compute_AlertOnRecordedSeries_FollowedToTheFamilyTheRecordingReads()
    {
        var usage = MetricUsage.Compute();

        // ServiceLatencyP95High reads only job:http_server_request_duration_seconds:p95_rate1m and a recorded rate.
        Assert.Contains(AlertName.ServiceLatencyP95High, usage.Alerts[MetricCatalogue.HttpServerRequestDuration]);
        Assert.Contains(AlertName.ConnectionPoolTimeouts, usage.Alerts[MetricCatalogue.DbConnectionTimeouts]);
        Assert.DoesNotContain(AlertName.ConnectionPoolTimeouts, usage.Alerts[MetricCatalogue.HttpServerRequestDuration]);
        Assert.Empty(usage.Alerts[MetricCatalogue.DbConnectionUseTime]);
        Assert.Equal(["database-pools"], usage.Dashboards[MetricCatalogue.DbConnectionUseTime]);
    }

    [Fact]
    public void Replace_MarkerMissing_Throws()
    {
        var error = Assert.Throws<InvalidOperationException>(() =>
            MetricDocuments.Replace("text without markers", MetricDocuments.PackageBegin, MetricDocuments.PackageEnd, "| table |\n"));

        Assert.Contains(MetricDocuments.PackageBegin, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Replace_Markers_OnlyTheTableBetweenThemReplaced()
    {
        var text = $"before\n{MetricDocuments.PackageBegin}\nold\n{MetricDocuments.PackageEnd}\nafter\n";

        var replaced = MetricDocuments.Replace(text, MetricDocuments.PackageBegin, MetricDocuments.PackageEnd, "| new |\n");

        Assert.Equal($"before\n{MetricDocuments.PackageBegin}\n| new |\n{MetricDocuments.PackageEnd}\nafter\n", replaced);
    }

    private static HashSet<string> BundledAlerts() =>
        typeof(AlertName).GetFields(BindingFlags.Public | BindingFlags.Static).Select(f => (string)f.GetRawConstantValue()!).ToHashSet(StringComparer.Ordinal);
}
