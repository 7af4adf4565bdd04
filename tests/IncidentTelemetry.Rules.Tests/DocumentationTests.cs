using System.Text.RegularExpressions;
using IncidentTelemetry.Rules.Definitions;

namespace IncidentTelemetry.Rules.Tests;

/// <summary>docs/alerts.md and docs/runbooks/ cover every alert, and the runbooks point at dashboards that exist.</summary>
public sealed partial class DocumentationTests
{
    private static readonly string[] Sections = ["## What it means", "## Confirm it on the dashboard", "## First actions", "## Where it comes from"];

    public static TheoryData<string> Alerts => [.. AlertCatalog.All.Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(Alerts))]
    public void Runbook_Alert_ExistsWithEverySection(string alert)
    {
        var path = Repository.File("docs", "runbooks", alert + ".md");
        Assert.True(File.Exists(path), $"missing runbook {path}");
        var text = File.ReadAllText(path);

        Assert.StartsWith("# " + alert + "\n", text, StringComparison.Ordinal);
        Assert.All(Sections, s => Assert.Contains(s, text, StringComparison.Ordinal));
    }

    [Theory]
    [MemberData(nameof(Alerts))]
    public void AlertsDoc_Alert_HasARowInTheAlertTable(string alert)
    {
        var text = File.ReadAllText(Repository.File("docs", "alerts.md"));

        Assert.Contains($"\n| {alert} |", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Runbooks_NoRunbookWithoutAnAlert()
    {
        var names = AlertCatalog.All.Select(a => a.Name + ".md").ToHashSet(StringComparer.Ordinal);

        var orphans = Directory.GetFiles(Repository.File("docs", "runbooks"), "*.md").Select(Path.GetFileName).Where(f => !names.Contains(f!)).ToList();

        Assert.True(orphans.Count == 0, string.Join(", ", orphans));
    }

    [Fact]
    public void Runbooks_DashboardFilesAndPanelsNamed_Exist()
    {
        var panels = Directory.GetFiles(Repository.File("dashboards"), "*.json")
            .SelectMany(f => PanelTitle().Matches(File.ReadAllText(f)).Select(m => m.Groups[1].Value))
            .ToHashSet(StringComparer.Ordinal);

        foreach (var runbook in Directory.GetFiles(Repository.File("docs", "runbooks"), "*.md"))
        {
            var text = File.ReadAllText(runbook);
            foreach (Match m in DashboardFile().Matches(text))
            {
                Assert.True(File.Exists(Repository.File(m.Groups[1].Value)), $"{Path.GetFileName(runbook)} names {m.Groups[1].Value}");
            }

            var confirm = text[text.IndexOf("## Confirm", StringComparison.Ordinal)..text.IndexOf("## First actions", StringComparison.Ordinal)];
            foreach (Match m in Italic().Matches(confirm))
            {
                Assert.True(panels.Contains(m.Groups[1].Value), $"{Path.GetFileName(runbook)} names panel '{m.Groups[1].Value}', which no dashboard has");
            }
        }
    }

    [GeneratedRegex("`(dashboards/[a-z-]+\\.json)`")]
    private static partial Regex DashboardFile();

    [GeneratedRegex(@"(?<![*\w])\*([^*]+)\*(?!\*)")]
    private static partial Regex Italic();

    [GeneratedRegex("\"title\":\\s*\"([^\"]+)\"")]
    private static partial Regex PanelTitle();
}
