using IncidentDrill.Report;

namespace IncidentTelemetry.Drills.Tests;

/// <summary>The drill's range-query reader takes sample values as Prometheus writes them, special values included.</summary>
public sealed class PrometheusApiTests
{
    [Fact]
    public void ParseMatrix_SpecialValues_ReadAsPrometheusWritesThem()
    {
        const string Raw = """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"job":"order-service"},"values":[[1700000000,"0.25"],[1700000015,"+Inf"],[1700000030,"NaN"],[1700000045,"-Inf"]]}
            ]}}
            """;

        var series = Assert.Single(PrometheusApi.ParseMatrix(Raw));

        Assert.Equal("order-service", series.Labels["job"]);
        Assert.Equal([0.25, double.PositiveInfinity, double.NaN, double.NegativeInfinity], series.Points.Select(p => p.Value));
        Assert.Equal(1700000015, series.Points[1].Time);
    }
}
