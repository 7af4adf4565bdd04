using System.Reflection;
using IncidentTelemetry.Rules.Definitions;

namespace IncidentTelemetry.Rules.Tests;

/// <summary>The public <see cref="AlertName"/> constants are exactly the bundled alerts, each named after its value.</summary>
public sealed class AlertNameTests
{
    private static readonly IReadOnlyList<(string Member, string Value)> Constants =
    [
        .. typeof(AlertName).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral)
            .Select(f => (f.Name, (string)f.GetRawConstantValue()!)),
    ];

    [Fact]
    public void Constants_EveryBundledAlert_HasOneAndNoOther()
    {
        Assert.Equal(
            AlertCatalog.All.Select(a => a.Name).Order(StringComparer.Ordinal),
            Constants.Select(c => c.Value).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Constants_Name_EqualsTheAlertName()
    {
        Assert.All(Constants, c => Assert.Equal(c.Value, c.Member));
    }
}
