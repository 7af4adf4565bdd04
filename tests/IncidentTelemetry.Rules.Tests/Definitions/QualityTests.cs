using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests.Definitions;

/// <summary>
/// <c>promtool test rules</c> on the sample shop's configuration with realistic inputs (a sample every 30 s, as a
/// scrape writes them, evaluated every 30 s): the healthy shapes of issue 20 stay quiet and the incidents still fire.
/// </summary>
public sealed class QualityTests
{
    public static TheoryData<string> Behaviours => [.. QualityCases.ByBehaviour.Keys];

    [Theory]
    [MemberData(nameof(Behaviours))]
    public async Task PromtoolTestRules_RealisticInput_HealthyShapesQuietIncidentsFire(string behaviour)
    {
        var (configuration, tests) = QualityCases.ByBehaviour[behaviour]();
        using var dir = new TempDirectory("it-rules-quality-");
        var (exit, output) = await RuleTestFile.RunAsync(dir.Path, configuration, QualityCases.Scrape, tests);

        Assert.True(exit == 0, output);
        Assert.Contains("SUCCESS", output, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Behaviours))]
    public void Cases_Behaviour_HaveAFiringAndASilentCheck(string behaviour)
    {
        var checks = QualityCases.ByBehaviour[behaviour]().Tests.SelectMany(t => t.Checks).ToList();

        Assert.Contains(checks, c => c.Expected.Count > 0);
        Assert.Contains(checks, c => c.Expected.Count == 0);
    }
}
