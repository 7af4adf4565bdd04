using IncidentTelemetry.Rules.Tests.Infrastructure;

using IncidentTelemetry.Rules.Definitions;

namespace IncidentTelemetry.Rules.Tests.Definitions;

/// <summary><c>promtool test rules</c> on the default render: every alert fires when it should and only then.</summary>
public sealed class AlertRuleTests
{
    public static TheoryData<string> Alerts => [.. AlertCatalog.All.Select(a => a.Name)];

    [Theory]
    [MemberData(nameof(Alerts))]
    public async Task PromtoolTestRules_Alert_FiresAfterForAndStaysSilentOtherwise(string alert)
    {
        Assert.True(AlertCases.ByAlert.TryGetValue(alert, out var cases), $"no promtool cases for {alert}");
        using var dir = new TempDirectory("it-rules-");
        var (exit, output) = await RuleTestFile.RunAsync(dir.Path, ErrorBudgetCases.ConfigurationFor(alert), TimeSpan.FromMinutes(1), cases());

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Alerts))]
    public void Cases_Alert_HaveAFiringAndASilentCheck(string alert)
    {
        var checks = AlertCases.ByAlert[alert]().SelectMany(t => t.Checks).Where(c => c.Alert == alert).ToList();

        Assert.Contains(checks, c => c.Expected.Count > 0);
        Assert.Contains(checks, c => c.Expected.Count == 0);
    }
}
