using IncidentTelemetry.Dashboards.Tests.Infrastructure;

namespace IncidentTelemetry.Dashboards.Tests;

public sealed class DocumentationTests
{
    private static readonly string Doc = File.ReadAllText(Repository.File("docs", "dashboards.md"));

    [Fact]
    public void DashboardsDoc_EveryDashboardAndPanel_Described()
    {
        foreach (var dashboard in CommittedDashboards.All())
        {
            Assert.Contains($"`{(string)dashboard["uid"]!}`", Doc, StringComparison.Ordinal);
            foreach (var panel in CommittedDashboards.DataPanels(dashboard))
            {
                Assert.Contains($"| {(string)panel["title"]!} |", Doc, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public void DashboardsDoc_EveryThresholdAlert_Named()
    {
        var alerts = CommittedDashboards.All()
            .SelectMany(CommittedDashboards.DataPanels)
            .Select(p => (string)p["description"]!)
            .SelectMany(d => d.Contains("Thresholds:", StringComparison.Ordinal) ? d[d.IndexOf("Thresholds:", StringComparison.Ordinal)..].Split('(', ')', ',') : [])
            .Select(s => s.Trim())
            .Where(s => s.Length > 0 && char.IsUpper(s[0]) && !s.StartsWith("Thresholds", StringComparison.Ordinal))
            .ToHashSet(StringComparer.Ordinal);

        Assert.Contains("RedisMemoryHigh", alerts);
        Assert.All(alerts, alert => Assert.Contains($"| {alert} |", Doc, StringComparison.Ordinal));
    }
}
