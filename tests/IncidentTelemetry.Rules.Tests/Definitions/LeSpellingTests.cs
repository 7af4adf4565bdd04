using System.Globalization;
using System.Text.RegularExpressions;
using IncidentTelemetry.Rules.Definitions;
using IncidentTelemetry.Rules.Tests.Infrastructure;

namespace IncidentTelemetry.Rules.Tests.Definitions;

/// <summary>
/// Every alert's promtool cases replayed with the <c>le</c> values as Prometheus 3 stores them (it rewrites a bucket
/// bound to one canonical float form: <c>1</c> becomes <c>1.0</c>, <c>0.01</c> stays) and as a pipeline that pads them
/// (<c>0.010</c>, <c>1.000</c>): the alerts fire and stay silent the same.
/// </summary>
public sealed partial class LeSpellingTests
{
    public static TheoryData<string, string> Cases
    {
        get
        {
            var data = new TheoryData<string, string>();
            // Only the alerts whose cases feed histogram buckets: the others read no le.
            foreach (var alert in AlertCatalog.All.Where(a => AlertCases.ByAlert[a.Name]().Any(t => t.Input.Any(s => s.Series.Contains("le=", StringComparison.Ordinal)))))
            {
                data.Add("prometheus3", alert.Name);
                data.Add("padded", alert.Name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task PromtoolTestRules_LeSpelledAnotherWay_SameAlerts(string spelling, string alert)
    {
        var cases = AlertCases.ByAlert[alert]().Select(t => t with
        {
            Name = $"{t.Name} (le as {spelling})",
            Input = [.. t.Input.Select(s => (Le().Replace(s.Series, m => $"le=\"{Spell(m.Groups["value"].Value, spelling)}\""), s.Values))],
        });
        using var dir = new TempDirectory("it-rules-le-");
        var (exit, output) = await RuleTestFile.RunAsync(dir.Path, ErrorBudgetCases.ConfigurationFor(alert), TimeSpan.FromMinutes(1), cases);

        Assert.True(exit == 0, output);
    }

    [Theory]
    [InlineData("1", "prometheus3", "1.0")]
    [InlineData("0.01", "prometheus3", "0.01")]
    [InlineData("+Inf", "prometheus3", "+Inf")]
    [InlineData("0.01", "padded", "0.010")]
    [InlineData("2.5", "padded", "2.500")]
    public void Spell_Bound_AsPrometheus3OrAPaddingPipelineWritesIt(string bound, string spelling, string expected)
        => Assert.Equal(expected, Spell(bound, spelling));

    private static string Spell(string bound, string spelling)
    {
        if (bound == "+Inf")
        {
            return bound;
        }

        var value = double.Parse(bound, CultureInfo.InvariantCulture);
        return spelling == "padded"
            ? value.ToString("0.000", CultureInfo.InvariantCulture)
            : value == Math.Floor(value) ? value.ToString("0.0", CultureInfo.InvariantCulture) : value.ToString("R", CultureInfo.InvariantCulture);
    }

    [GeneratedRegex("le=\"(?<value>[^\"]+)\"")]
    private static partial Regex Le();
}
