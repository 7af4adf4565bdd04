namespace IncidentTelemetry.Dashboards.Tests;

public sealed class QuerySubstitutionTests
{
    [Fact]
    public void Apply_BuiltInsAndVariables_ReplacedLikeGrafana()
    {
        var result = QuerySubstitution.Apply(
            "rate(x{job=~\"$job\", i=~\"${instance}\", r=~\"${route:regex}\"}[$__rate_interval]) + resets(y[$__range])",
            name => name is "job" or "instance" or "route" ? ".*" : null);

        Assert.Equal("rate(x{job=~\".*\", i=~\".*\", r=~\".*\"}[1m]) + resets(y[1h])", result);
    }

    [Fact]
    public void Apply_UnknownVariable_LeftInPlace()
    {
        Assert.Equal("x{a=~\"$nope\"}", QuerySubstitution.Apply("x{a=~\"$nope\"}", _ => null));
    }

    [Fact]
    public void VariablesIn_AllForms_Found()
    {
        Assert.Equal(["a", "b", "c"], QuerySubstitution.VariablesIn("$a ${b} ${c:csv}"));
    }

    [Fact]
    public void LabelValuesSelector_LabelValuesQuery_ReturnsInnerSelector()
    {
        Assert.Equal("m{job=~\"$job\", x=\"a,b\"}", QuerySubstitution.LabelValuesSelector("label_values(m{job=~\"$job\", x=\"a,b\"}, http_route)"));
        Assert.Null(QuerySubstitution.LabelValuesSelector("query_result(up)"));
    }
}
