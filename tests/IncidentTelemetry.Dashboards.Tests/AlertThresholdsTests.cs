using System.Globalization;
using System.Reflection;
using IncidentTelemetry.Dashboards.Tests.Infrastructure;

namespace IncidentTelemetry.Dashboards.Tests;

public sealed class AlertThresholdsTests
{
    public static TheoryData<string> DrawnThresholds
    {
        get
        {
            var data = new TheoryData<string>();
            foreach (var constant in Fields().Where(f => f.Name != nameof(AlertThresholds.LoginSpikeFactor)))
            {
                data.Add(constant.Name);
            }

            return data;
        }
    }

    [Theory]
    [MemberData(nameof(DrawnThresholds))]
    public void Threshold_RenderedDashboards_DrawnAsThresholdLine(string name)
    {
        var value = (double)Fields().Single(f => f.Name == name).GetValue(null)!;

        var panels = CommittedDashboards.All()
            .SelectMany(CommittedDashboards.DataPanels)
            .Where(p => p["fieldConfig"]!["defaults"]!["thresholds"]!["steps"]!.AsArray().Any(s => s!["value"] is { } v && (double)v == value))
            .ToList();

        Assert.NotEmpty(panels);
        Assert.All(
            panels.Where(p => (string?)p["type"] == "timeseries"),
            p => Assert.Equal("line", (string?)p["fieldConfig"]!["defaults"]!["custom"]!["thresholdsStyle"]!["mode"]));
    }

    [Fact]
    public void LoginSpikeFactor_RenderedDashboards_MultipliesTheLoginBaseline()
    {
        var factor = AlertThresholds.LoginSpikeFactor.ToString(CultureInfo.InvariantCulture);

        var baselines = RenderedQueries.All()
            .Where(q => q.Expr.StartsWith(factor + " * avg_over_time((sum by (job) (rate(incident_login_attempts_total{", StringComparison.Ordinal))
            .ToList();

        Assert.Equal(2, baselines.Count); // overview and the Authentication drill-down
    }

    private static IEnumerable<FieldInfo> Fields() =>
        typeof(AlertThresholds).GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsInitOnly && f.FieldType == typeof(double));
}
