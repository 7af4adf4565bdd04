using LocalComponents;
using Xunit.Abstractions;

namespace IncidentTelemetry.AlertSimulation.Tests;

/// <summary>
/// The short version of the healthy fortnight (docs/simulation.md): the first day of the simulation (the Monday the
/// monitoring was installed: the morning ramp, two or three rolling deploys per service, the nightly batch, gen2
/// collections, memory following the load, the slow-by-design checkout and payment routes) evaluated by the real
/// promtool with the rules rendered from the current code.
/// </summary>
/// <remarks>
/// The goal is that no alert at all fires on a healthy day. The rules do not meet it yet: warnings still fire
/// on the install day (docs/alerts.md, "A healthy fortnight and five ramped incidents", lists them), so this test holds
/// the part that is met — nothing pages (no critical alert) on a healthy day — and writes every warning that fired to
/// the test output. Tighten it to "no alert" once the warnings are gone.
/// </remarks>
public sealed class HealthyDayTests(ITestOutputHelper output)
{
    [Fact]
    public async Task RunAsync_FirstHealthyDay_NoCriticalAlertFires()
    {
        using var directory = new TempDirectory("it-alert-simulation-");
        var simulation = new Simulation(days: 1, incidents: false);

        await simulation.RunAsync(directory.Path, [RuleSet.Bundled(), RuleSet.Sample()]);

        Assert.Equal(2, simulation.Outcomes.Count);
        Assert.All(simulation.Outcomes, o => Assert.Equal(Shop.Services.Length, Simulation.ServicesSeen(o)));
        foreach (var fired in simulation.Outcomes.SelectMany(o => Simulation.Fired(o).Select(f => $"{o.Rules.Name}: {f}")))
        {
            output.WriteLine(fired);
        }

        var paged = simulation.Outcomes
            .SelectMany(o => o.Answers.Where(a => a.Question == "steps-w1" && a.Value > 0 && a.Severity == "critical")
                .Select(a => $"{o.Rules.Name}: {a.Alert} ({a.Service}): {Simulation.Hours(a.Value)} h firing"))
            .ToList();
        Assert.True(paged.Count == 0, "critical alerts fired on a healthy day:\n" + string.Join("\n", paged));
    }
}
