namespace IncidentTelemetry.Drills.Tests;

/// <summary>
/// The PromQL scanner the drills use to find the series behind an alert (and the rules and dashboards tests
/// use to hold every name to the metric catalogue).
/// </summary>
public sealed class PromqlScannerTests
{
    [Fact]
    public void MetricNames_Expression_OnlyMetricsNotFunctionsLabelsOrDurations()
    {
        var names = PromqlScanner.MetricNames(
            "1 - (sum by (job, instance, db_client_connection_pool_name) (rate(db_client_connection_wait_time_seconds_bucket{job=~\"payment-service\", le=\"0.01\"}[1m]))\n/ on (job, instance, db_client_connection_pool_name)\nsum by (job) (rate(db_client_connection_wait_time_seconds_count{job=~\"payment-service\"}[1m] offset 1w40m)))");

        Assert.Equal(["db_client_connection_wait_time_seconds_bucket", "db_client_connection_wait_time_seconds_count"], names);
    }

    [Fact]
    public void MetricNames_RecordedSeriesRepeatedAndLiterals_EachNameOnceRecordedKept()
    {
        var names = PromqlScanner.MetricNames(
            "job:http_server_errors:ratio5m > 0.05 and job:http_server_errors:ratio5m < Inf unless max without (instance) (up) == bool NaN");

        Assert.Equal(["job:http_server_errors:ratio5m", "up"], names);
    }

    [Fact]
    public void Selectors_LabelValuesAndStrings_MetricWithItsMatchersNotTheStringContents()
    {
        var selectors = PromqlScanner.Selectors(
            "label_replace(redis_up{job=~\"$redis_job\", addr=\"a{b}\"}, \"node\", \"$1\", \"addr\", \"(.*)\") * on (addr) group_left (role) redis_instance_info");

        Assert.Equal([("redis_up", "job=~\"$redis_job\", addr=\"a{b}\""), ("redis_instance_info", string.Empty)], selectors);
    }
}
