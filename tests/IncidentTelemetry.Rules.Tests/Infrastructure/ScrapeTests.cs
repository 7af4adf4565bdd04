using IncidentTelemetry.Rules.Tests.Definitions;

namespace IncidentTelemetry.Rules.Tests.Infrastructure;

public sealed class ScrapeTests
{
    [Theory]
    [InlineData("1x3 0x2", "1 1 1 1 0 0 0")]
    [InlineData("0+60x2 _x2 5", "0 60 120 _ _ 5")]
    [InlineData("3600-60x1 2e9x1", "3600 3540 2000000000 2000000000")]
    public void Expand_PromtoolNotation_AsPromtoolReadsIt(string notation, string values)
        => Assert.Equal(values, Series.Values(Scrape.Expand(notation)));

    [Fact]
    public void Respaced_MinuteInput_CountersGrowLinearlyGaugesHoldGapsStay()
    {
        var test = new RuleTest("t", TimeSpan.FromMinutes(1),
            [("x_total{a=\"1\"}", "0+60x2 10"), ("up{a=\"1\"}", "1 0 _ 1")],
            [new(TimeSpan.FromMinutes(3), "A", [])]);

        var respaced = Scrape.Respaced(test, TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), respaced.Interval);
        Assert.Equal("0 30 60 90 120 120 10", respaced.Input[0].Values);
        Assert.Equal("1 1 0 0 _ _ 1", respaced.Input[1].Values);
        Assert.Equal(test.Checks, respaced.Checks);
    }

    [Fact]
    public void Respaced_EveryAlertCase_SpacedAsARealScrape()
    {
        var tests = AlertCases.ByAlert.Values.SelectMany(cases => Scrape.Respaced(cases())).ToList();

        Assert.All(tests, t => Assert.InRange(t.Interval, TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)));
    }
}
