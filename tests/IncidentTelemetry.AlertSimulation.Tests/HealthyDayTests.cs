using LocalComponents;

namespace IncidentTelemetry.AlertSimulation.Tests;

/// <summary>
/// The short version of the healthy fortnight (docs/simulation.md): the first day of the simulation (the Monday the
/// monitoring was installed: the morning ramp, two or three rolling deploys per service, the nightly batch, gen2
/// collections, memory following the load, the slow-by-design checkout and payment routes) evaluated by the real
/// promtool with the rules rendered from the current code. A healthy day must not page anyone: any alert that fires
/// fails the test, named with its service and how long it fired.
/// </summary>
public sealed class HealthyDayTests
{
    [Fact]
    public async Task RunAsync_FirstHealthyDay_NoAlertFires()
    {
        using var directory = new TempDirectory("it-alert-simulation-");
        var simulation = new Simulation(days: 1, incidents: false);

        await simulation.RunAsync(directory.Path, [RuleSet.Bundled(), RuleSet.Sample()]);

        Assert.Equal(2, simulation.Outcomes.Count);
        Assert.All(simulation.Outcomes, o => Assert.Equal(Shop.Services.Length, Simulation.ServicesSeen(o)));
        var fired = simulation.Outcomes.SelectMany(o => Simulation.Fired(o).Select(f => $"{o.Rules.Name}: {f}")).ToList();
        Assert.True(fired.Count == 0, "alerts fired on a healthy day:\n" + string.Join("\n", fired));
    }
}
