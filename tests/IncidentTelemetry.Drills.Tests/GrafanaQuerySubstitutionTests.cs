namespace IncidentTelemetry.Drills.Tests;

public sealed class GrafanaQuerySubstitutionTests
{
    [Fact]
    public void Apply_BuiltInsAndVariables_ReplacedLikeGrafana()
    {
        var result = GrafanaDashboard.Apply(
            "rate(x{job=~\"$job\", i=~\"${instance}\", r=~\"${route:regex}\"}[$__rate_interval]) + resets(y[$__range])",
            name => name is "job" or "instance" or "route" ? ".*" : null);

        Assert.Equal("rate(x{job=~\".*\", i=~\".*\", r=~\".*\"}[1m]) + resets(y[1h])", result);
    }

    [Fact]
    public void Apply_UnknownVariable_LeftInPlace()
    {
        Assert.Equal("x{a=~\"$nope\"}", GrafanaDashboard.Apply("x{a=~\"$nope\"}", _ => null));
    }

    [Fact]
    public void VariablesIn_AllForms_Found()
    {
        Assert.Equal(["a", "b", "c"], GrafanaDashboard.VariablesIn("$a ${b} ${c:csv}"));
    }

    [Fact]
    public void LabelValuesSelector_LabelValuesQuery_ReturnsInnerSelector()
    {
        Assert.Equal("m{job=~\"$job\", x=\"a,b\"}", GrafanaDashboard.LabelValuesSelector("label_values(m{job=~\"$job\", x=\"a,b\"}, http_route)"));
        Assert.Null(GrafanaDashboard.LabelValuesSelector("query_result(up)"));
    }
}
